from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("offices/", views.OfficeListView.as_view(), name="office_list"),
    path("offices/<slug:code>/", views.OfficeDetailView.as_view(), name="office_detail"),
    path("prefectures/", views.PrefectureFinderView.as_view(), name="prefecture_finder"),
    path("prefectures/<str:code>/", views.PrefectureDetailView.as_view(), name="prefecture_detail"),
]
