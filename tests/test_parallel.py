import os

from django.conf import settings

from tests.parallel import ROOT, process_environment

SERVICES = {
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
    "CACHE_URL": "redis://127.0.0.1:6379/14",
}


def test_the_first_process_keeps_the_configured_services():
    assert process_environment(SERVICES, "gw0") == {}


def test_each_further_process_gets_its_own_redis_databases_and_media_folder():
    assert process_environment(SERVICES, "gw1") == {
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
        "CACHE_URL": "redis://127.0.0.1:6379/12",
        "MEDIA_ROOT": str(ROOT / "media" / "test-process-1"),
    }
    assert process_environment(SERVICES, "gw2")["CELERY_BROKER_URL"].endswith("/11")


def test_a_chosen_media_root_and_an_in_memory_broker_are_kept():
    assert (
        process_environment({"MEDIA_ROOT": "/srv/media", "CELERY_BROKER_URL": "memory://"}, "gw1")
        == {}
    )


def test_this_process_runs_on_what_the_plugin_chose():
    assert str(settings.MEDIA_ROOT) == os.environ.get("MEDIA_ROOT", str(ROOT / "media"))
