from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def bare(request):
    """The cheapest page the stack can serve: the middleware and nothing else."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare/", bare, name="bench-bare"), *site_urlpatterns]
