from django.db.models import Prefetch
from django.views.generic import DetailView, ListView, TemplateView

from .models import PartnerOrganization, Prefecture, RegionalDesk, RegionalOffice


class OfficeListView(ListView):
    template_name = "contacts/office_list.html"
    context_object_name = "offices"

    def get_queryset(self):
        return RegionalOffice.objects.prefetch_related("prefectures")


class OfficeDetailView(DetailView):
    template_name = "contacts/office_detail.html"
    context_object_name = "office"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_queryset(self):
        return RegionalOffice.objects.prefetch_related(
            "prefectures", Prefetch("desks", queryset=RegionalDesk.objects.order_by("order"))
        )


class PrefectureFinderView(TemplateView):
    template_name = "contacts/prefecture_finder.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["prefectures"] = Prefecture.objects.select_related("regional_office")
        return context


class PrefectureDetailView(DetailView):
    template_name = "contacts/prefecture_detail.html"
    context_object_name = "prefecture"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_queryset(self):
        return Prefecture.objects.select_related("regional_office").prefetch_related(
            Prefetch("partners", queryset=PartnerOrganization.objects.order_by("order"))
        )
