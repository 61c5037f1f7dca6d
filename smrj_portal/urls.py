from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "中小機構 支援施策ポータル 管理サイト"
admin.site.site_title = "支援施策ポータル 管理"
admin.site.index_title = "データ管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("contacts.urls")),
    path("", include("programs.urls")),
]
