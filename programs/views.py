from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from contacts.models import RegionalDesk

from .filters import ProgramFilter
from .models import Chapter, Edition, Program, SupportType


def visible_edition(request, year=None):
    """The edition a request may see: the current one, an archived one by year, or — for staff
    previewing — a draft."""
    if year is None:
        edition = Edition.objects.current()
        if edition is None:
            raise Http404("公開中のハンドブックがありません。")
        return edition
    editions = Edition.objects.all() if request.user.is_staff else Edition.objects.visible()
    return get_object_or_404(editions, year=year)


class HomeView(TemplateView):
    template_name = "programs/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = Edition.objects.current()
        published = Q(programs__in=Program.objects.published()) if edition else Q(pk__in=[])
        context["chapters"] = Chapter.objects.annotate(
            program_count=Count("programs", filter=published)
        )
        context["support_types"] = SupportType.objects.annotate(
            program_count=Count("programs", filter=published)
        )
        return context


class ProgramListView(FilterView):
    filterset_class = ProgramFilter
    template_name = "programs/program_list.html"
    paginate_by = 20
    context_object_name = "programs"

    def get_queryset(self):
        return Program.objects.published().for_listing().order_by("chapter__number", "number")


class ProgramDetailView(DetailView):
    template_name = "programs/program_detail.html"
    context_object_name = "program"

    def get_object(self, queryset=None):
        year = self.kwargs.get("year")
        edition = visible_edition(self.request, year)
        programs = Program.objects.select_related(
            "edition", "chapter", "support_type", "department", "contact_section__department"
        ).prefetch_related(
            Prefetch(
                "desks",
                queryset=RegionalDesk.objects.select_related("office").order_by(
                    "office__order", "order"
                ),
            )
        )
        program = programs.filter(edition=edition, code=self.kwargs["code"]).first()
        if program is None or (year is None and program.status != Program.Status.ACTIVE):
            raise Http404("事業が見つかりません。")
        return program
