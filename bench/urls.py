from django.http import HttpResponse
from django.urls import path

from smrj_portal.urls import urlpatterns as portal_urlpatterns


def minimal(request):
    """The least a Django view can do: the yardstick for the list page's throughput."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *portal_urlpatterns]
