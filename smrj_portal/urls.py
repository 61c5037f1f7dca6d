from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from programs.sitemaps import sitemaps
from programs.views import robots_txt

admin.site.site_header = "中小機構 支援施策ポータル 管理サイト"
admin.site.site_title = "支援施策ポータル 管理"
admin.site.index_title = "データ管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("", include("contacts.urls")),
    path("", include("programs.urls")),
]
