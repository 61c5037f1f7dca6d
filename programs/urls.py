from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("programs/", views.ProgramListView.as_view(), name="program_list"),
    path("programs/<slug:code>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path(
        "<int:year>/programs/<slug:code>/",
        views.ProgramDetailView.as_view(),
        name="program_detail_year",
    ),
]
