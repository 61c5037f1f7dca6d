from django.urls import path, register_converter

from . import feeds, views
from .converters import YearConverter

register_converter(YearConverter, "year")

app_name = "programs"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("programs/", views.ProgramListView.as_view(), name="program_list"),
    path("programs.csv", views.ProgramExportView.as_view(format="csv"), name="program_csv"),
    path("programs.json", views.ProgramExportView.as_view(format="json"), name="program_json"),
    path("index/", views.KanaIndexView.as_view(), name="kana_index"),
    path("open-data/", views.OpenDataView.as_view(), name="open_data"),
    path("feeds/programs.atom", feeds.ProgramChangesFeed(), name="program_feed"),
    path("programs/<slug:code>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("<year:year>/programs/", views.ProgramListView.as_view(), name="program_list_year"),
    path("<year:year>/changes/", views.EditionChangesView.as_view(), name="edition_changes"),
    path(
        "<year:year>/programs/<slug:code>/",
        views.ProgramDetailView.as_view(),
        name="program_detail_year",
    ),
]
