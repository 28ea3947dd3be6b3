from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Pages of this site carry personal data or depend on who asks: no cache may keep them.

    Static files are served before this middleware runs and keep their long cache lifetime.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
