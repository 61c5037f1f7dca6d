from django.urls import path

from . import opendata, views

app_name = "contacts"

urlpatterns = [
    *[
        path(
            f"open-data/{slug}.{fmt}",
            opendata.ContactsExportView.as_view(dataset=slug, format=fmt),
            name=f"opendata_{slug}_{fmt}",
        )
        for slug in opendata.DATASETS
        for fmt in ("csv", "json")
    ],
    path("offices/", views.OfficeListView.as_view(), name="office_list"),
    path("offices/<slug:code>/", views.OfficeDetailView.as_view(), name="office_detail"),
    path("prefectures/", views.PrefectureFinderView.as_view(), name="prefecture_finder"),
    path("prefectures/<str:code>/", views.PrefectureDetailView.as_view(), name="prefecture_detail"),
]
