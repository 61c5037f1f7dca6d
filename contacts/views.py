from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView

from . import directory
from .desks import attach_desk_programs
from .models import Campus, PartnerOrganization, Prefecture, RegionalDesk, RegionalOffice

# The order and headings of a prefecture's contacts, as in the handbook's tables.
PARTNER_SECTIONS = [
    (PartnerOrganization.Kind.SUCCESSION, "事業承継・引継ぎ支援センター"),
    (PartnerOrganization.Kind.REVITALIZATION, "中小企業活性化協議会"),
    (PartnerOrganization.Kind.YOROZU, "よろず支援拠点"),
    (PartnerOrganization.Kind.ADVANCEMENT, "高度化事業 都道府県庁担当課"),
]
OFFICE_GROUPS = [
    ("本部・地域本部", (RegionalOffice.Kind.HEADQUARTERS, RegionalOffice.Kind.REGIONAL)),
    ("事務所・支援センター", (RegionalOffice.Kind.OFFICE, RegionalOffice.Kind.CENTER)),
    (
        "エリアマネージャー事務所など",
        (RegionalOffice.Kind.AREA_MANAGER, RegionalOffice.Kind.OTHER),
    ),
    ("中小企業大学校", (RegionalOffice.Kind.UNIVERSITY,)),
]


class NamedProgramMixin:
    """A page that ?program= can name a program on (self.program, or None; the last value
    counts). A value naming no program the visitor can see (a link from an older edition, or
    junk) redirects to the same page without it, keeping the values that do: the page itself,
    not a copy of it per value in the page cache (a redirect is never kept)."""

    def dispatch(self, request, *args, **kwargs):
        codes = [code.strip() for code in request.GET.getlist("program") if code.strip()]
        found = directory.get().published(request, codes) if codes else {}
        known = [code for code in codes if code in found]
        self.program = found[known[-1]] if known else None
        if len(known) != len(codes):
            params = request.GET.copy()
            params.setlist("program", known)
            query = params.urlencode()
            return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))
        return super().dispatch(request, *args, **kwargs)


class OfficeListView(ListView):
    template_name = "contacts/office_list.html"
    context_object_name = "offices"

    def get_queryset(self):
        return RegionalOffice.objects.prefetch_related("prefectures").order_by("order", "code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offices = list(context["offices"])
        grouped = {kind for _label, kinds in OFFICE_GROUPS for kind in kinds}
        groups = [
            (label, [o for o in offices if o.kind in kinds]) for label, kinds in OFFICE_GROUPS
        ]
        others = [o for o in offices if o.kind not in grouped]
        if others:
            groups.append(("その他", others))
        context["groups"] = [(label, items) for label, items in groups if items]
        return context


class OfficeDetailView(DetailView):
    template_name = "contacts/office_detail.html"
    context_object_name = "office"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_queryset(self):
        return RegionalOffice.objects.select_related("parent").prefetch_related(
            "prefectures",
            Prefetch("children", queryset=RegionalOffice.objects.order_by("order", "code")),
            Prefetch("campuses", queryset=Campus.objects.order_by("order", "code")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        desks = RegionalDesk.objects.filter(office=self.object).order_by("order", "code")
        context["desks"] = attach_desk_programs(desks, self.request)
        return context


class PrefectureFinderView(NamedProgramMixin, TemplateView):
    """Choose a prefecture: a GET form (no JavaScript) and the same choices as links."""

    template_name = "contacts/prefecture_finder.html"
    query_params = ("prefecture", "program")  # core.page_cache drops any other

    def get(self, request, *args, **kwargs):
        code = request.GET.get("prefecture", "").strip()
        if code:
            prefecture = Prefecture.objects.filter(code=code.zfill(2)).first()
            if prefecture is not None:
                url = prefecture.get_absolute_url()
                program = request.GET.get("program", "").strip()
                if program:
                    url += "?" + urlencode({"program": program})
                return HttpResponseRedirect(url)
            # A code no choice of ours sends: the form again, explained, with status 400 (so
            # that it is neither kept in the page cache nor indexed as a page of its own).
            response = super().get(request, *args, **kwargs)
            response.status_code = 400
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prefectures = list(Prefecture.objects.select_related("regional_office"))
        groups = {}
        for prefecture in prefectures:
            groups.setdefault(prefecture.regional_office, []).append(prefecture)
        context["prefectures"] = prefectures
        context["groups"] = sorted(groups.items(), key=lambda item: min(p.code for p in item[1]))
        context["program"] = self.program
        context["error"] = bool(self.request.GET.get("prefecture"))
        return context


def located_prefecture(address, prefectures):
    for prefecture in prefectures:
        if address.startswith(prefecture.name):
            return prefecture
    return None


def nearest_universities(prefecture, prefectures, universities):
    """The 中小企業大学校 to suggest for a prefecture, and which rule chose them.

    The rule: a school's prefecture is read from the start of its address.
      1. the schools in the prefecture itself;
      2. otherwise the schools in the area of the prefecture's 地域本部 (e.g. 岡山県 → 中国本部
         → 広島校);
      3. otherwise (areas without a school: 北陸・四国・沖縄) the schools in the area of the
         nearest 地域本部 before it in the handbook's order (北陸 → 中部 → 瀬戸校, 四国 → 中国 →
         広島校, 沖縄 → 九州 → 九州校・人吉校).
    Schools without an address (web校) are online and suggested to everyone separately."""
    located = [(u, located_prefecture(u.address, prefectures)) for u in universities]
    located = [(u, p) for u, p in located if p is not None]
    same = [u for u, p in located if p.pk == prefecture.pk]
    if same:
        return same, "prefecture"
    office = prefecture.regional_office
    if office is None:
        return [], "none"
    by_office = {}
    for university, place in located:
        if place.regional_office is not None:
            by_office.setdefault(place.regional_office, []).append(university)
    if office in by_office:
        return by_office[office], "area"
    before = [o for o in by_office if (o.order, o.code) < (office.order, office.code)]
    after = [o for o in by_office if (o.order, o.code) > (office.order, office.code)]
    if before:
        return by_office[max(before, key=lambda o: (o.order, o.code))], "neighbour"
    if after:
        return by_office[min(after, key=lambda o: (o.order, o.code))], "neighbour"
    return [], "none"


def program_partners(program, partners):
    """The prefecture's partner bodies that handle the program (the kind its page names), each
    with `shown_phones`: for a 中小企業活性化協議会 only the （全） or （経） numbers when the
    program says which, else all of them."""
    kind = getattr(program, "partner_kind", "") if program is not None else ""
    if not kind:
        return []
    label = getattr(program, "partner_label", "")
    chosen = []
    for partner in partners:
        if partner.kind != kind:
            continue
        phones = partner.phone_list
        if label:
            phones = [p for p in phones if p.label == label] or phones
        partner.shown_phones = phones
        chosen.append(partner)
    return chosen


class PrefectureDetailView(NamedProgramMixin, DetailView):
    template_name = "contacts/prefecture_detail.html"
    context_object_name = "prefecture"
    query_params = ("program",)  # core.page_cache drops any other

    def get_object(self, queryset=None):
        return get_object_or_404(
            Prefecture.objects.select_related("regional_office").prefetch_related(
                Prefetch("partners", queryset=PartnerOrganization.objects.order_by("order", "code"))
            ),
            code=self.kwargs["code"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prefecture = self.object
        office = prefecture.regional_office
        program = self.program
        desks = []
        if office is not None:
            desks = attach_desk_programs(
                RegionalDesk.objects.filter(office=office).order_by("order", "code"),
                self.request,
            )
        if program is not None:
            for desk in desks:
                desk.highlight = program.code in desk.program_codes_set
        partners = list(prefecture.partners.all())
        local_programs, nationwide_count, nationwide_url = directory.get().usable_in(
            self.request, prefecture
        )
        context["partner_sections"] = [
            (kind, heading, [p for p in partners if p.kind == kind])
            for kind, heading in PARTNER_SECTIONS
        ]
        prefectures = list(Prefecture.objects.select_related("regional_office"))
        universities = list(
            Campus.objects.filter(kind=Campus.Kind.UNIVERSITY).order_by("order", "code")
        )
        nearest, rule = nearest_universities(
            prefecture, prefectures, [u for u in universities if u.address]
        )
        context.update(
            {
                "office": office,
                "office_prefectures": [
                    p for p in prefectures if office and p.regional_office_id == office.pk
                ],
                "desks": desks,
                "program": program,
                "program_desks": [d for d in desks if getattr(d, "highlight", False)],
                "program_partners": program_partners(program, partners),
                "yorozu": [p for p in partners if p.kind == PartnerOrganization.Kind.YOROZU],
                "local_programs": local_programs,
                "nationwide_count": nationwide_count,
                "nationwide_url": nationwide_url,
                "universities": nearest,
                "university_rule": rule,
                "online_universities": [u for u in universities if not u.address],
                "finder_url": reverse("contacts:prefecture_finder"),
            }
        )
        return context
