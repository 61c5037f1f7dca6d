from dataclasses import replace
from urllib.parse import urlencode

from django.db.models import Count, Model, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from contacts.desks import desk_label_for
from contacts.models import Prefecture, RegionalDesk
from contacts.opendata import DATASETS
from csvimport import opendata
from csvimport.widgets import ChoiceListWidget

from . import changes, editions, search
from .filters import PARAMS, SEARCH_SORT_CHOICES, SORT_CHOICES, ProgramFilter, canonical_params
from .models import Chapter, Edition, Program, SupportType
from .public import current_edition, gojuon_groups
from .resources import ProgramResource
from .templatetags.portal import is_web_url


def visible_edition(request, year=None):
    """The edition a request may see: the current one, an archived one by year, or — for staff
    previewing — a draft."""
    if year is None:
        edition = current_edition(request)
        if edition is None:
            raise Http404("公開中のハンドブックがありません。")
        return edition
    return get_object_or_404(Edition.objects.visible_to(request.user), year=year)


def published_programs(request):
    """The public's programs (current edition), in handbook order, ready for listing."""
    return Program.objects.published(current_edition(request)).for_listing().in_handbook_order()


def edition_programs(edition):
    """The active programs of an edition the request may see (visible_edition), for listing."""
    return Program.objects.filter(edition=edition).active().for_listing().in_handbook_order()


def edition_program_url(program, current):
    """A program's address: /programs/<code>/ in the current edition, else with its year."""
    if current is not None and program.edition_id == current.pk:
        return reverse("programs:program_detail", args=[program.code])
    return reverse("programs:program_detail_year", args=[program.edition.year, program.code])


CHAPTER_LIST_LIMIT = 30

KEYWORD_EXAMPLES = ["IT導入", "事業承継", "海外展開", "共済", "創業", "災害"]


class HomeView(TemplateView):
    template_name = "programs/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = current_edition(self.request)
        if edition is not None:
            published = Q(programs__edition=edition, programs__status=Program.Status.ACTIVE)
        else:
            published = Q(pk__in=[])
        context["chapters"] = Chapter.objects.annotate(
            program_count=Count("programs", filter=published)
        ).in_handbook_order()
        context["support_types"] = SupportType.objects.annotate(
            program_count=Count("programs", filter=published)
        ).in_handbook_order()
        context["total"] = sum(c.program_count for c in context["chapters"])
        context["prefectures"] = Prefecture.objects.all()
        context["keyword_examples"] = KEYWORD_EXAMPLES
        # 「令和7年度版の主な変更点」 once there is an earlier edition to compare with.
        context["changes_base"] = changes.base_edition(edition) if edition else None
        return context


class ProgramListView(FilterView):
    filterset_class = ProgramFilter
    query_params = PARAMS  # core.page_cache drops any other
    template_name = "programs/program_list.html"
    paginate_by = 20
    context_object_name = "programs"

    def get(self, request, *args, **kwargs):
        # /programs/ lists the current edition; /<year>/programs/ an archived one (or, for staff,
        # a draft — marked 下書き).
        year = kwargs.get("year")
        self.year = year
        self.edition = current_edition(request) if year is None else visible_edition(request, year)
        # A submitted form sends every field, empty or not; redirect to the clean URL so that
        # every combination of filters has exactly one shareable address.
        params = canonical_params(request.GET)
        current = [(key, value) for key, values in request.GET.lists() for value in values]
        if params != current:
            query = urlencode(params)
            return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))
        # FilterView's loop, except that the list is the filterset's results(): filtered and
        # ordered in memory (search.Index), its rows fetched for the page shown only.
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.invalid = self.filterset.is_bound and not self.filterset.is_valid()
        if self.invalid:
            self.object_list = []  # nothing listed; status 400
        else:
            self.object_list = self.filterset.results()
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def get_queryset(self):
        if self.year is None:
            return published_programs(self.request)
        return edition_programs(self.edition)

    def render_to_response(self, context, **response_kwargs):
        # A value no form of ours sends (an unknown chapter, "²", a bad sort) is the client's
        # mistake: the page explains it and offers the form again, with status 400 (so that it
        # is neither cached nor indexed as a page of its own).
        if self.invalid:
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, **kwargs):
        facets = self.filterset.facet_counts()
        context = super().get_context_data(**kwargs)
        context["edition"] = self.edition
        # The header and footer name the edition a page shows, not the current one.
        context["shown_edition"] = self.edition
        context["list_year"] = self.year
        context["is_current"] = self.edition is not None and (
            self.edition.pk == getattr(current_edition(self.request), "pk", None)
        )
        filterset = context["filter"]
        context.update(facets)
        context["active_filters"] = self.active_filters(filterset, facets)
        sort = self.request.GET.get("sort", "")
        choices = SEARCH_SORT_CHOICES if filterset.values.get("q") else SORT_CHOICES
        context["sort_options"] = [
            {"value": value, "label": label, "current": value == sort} for value, label in choices
        ]
        context["sort"] = sort
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=1, on_ends=1
        )
        context.update(self.search_context(filterset, page))
        context["export_query"] = urlencode(
            [(k, v) for k, v in canonical_params(self.request.GET) if k != "page"]
        )
        return context

    def search_context(self, filterset, page):
        """What the keyword search says besides its results: limits applied, the any-word
        fallback, a snippet per result with the matched words marked, 「もしかして」."""
        query = filterset.query if filterset.is_bound and not filterset.errors else None
        if query is None:
            return {}
        programs = list(page.object_list)
        fallback = bool(programs) and len(query.words) > 1 and not programs[0].all_words
        for program in programs:
            program.snippet = search.snippet(
                [program.target, program.points, program.tagline, program.area], query.variants
            )
        suggestions = []
        if not programs:
            suggestions = search.suggestions(query, filterset.search_index.names_and_readings())
        return {
            "search_query": query,
            "search_notices": query.notices,
            "search_fallback": fallback,
            "search_suggestions": [
                {"text": text, "url": f"{self.request.path}?{urlencode({'q': text})}"}
                for text in suggestions
            ],
        }

    def active_filters(self, filterset, facets):
        """The conditions in force, each with the URL that drops just that one."""
        params = canonical_params(self.request.GET)

        def without(key, value):
            rest = [(k, v) for k, v in params if k != "page" and (k, v) != (key, value)]
            query = urlencode(rest)
            return self.request.path + (f"?{query}" if query else "")

        values = filterset.values
        active = []
        if values.get("q"):
            active.append(
                {
                    "label": f"キーワード「{values['q']}」",
                    "url": without("q", self.request.GET["q"]),
                }
            )
        for chapter in facets["chapters"]:
            if chapter.selected:
                active.append(
                    {"label": str(chapter), "url": without("chapter", str(chapter.number))}
                )
        for support_type in facets["support_types"]:
            if support_type.selected:
                active.append(
                    {
                        "label": support_type.name,
                        "url": without("support_type", str(support_type.number)),
                    }
                )
        for audience in facets["audiences"]:
            if audience["selected"]:
                active.append(
                    {
                        "label": f"対象：{audience['label']}",
                        "url": without("audience", audience["value"]),
                    }
                )
        for area in facets["areas"]:
            if area["selected"]:
                active.append(
                    {"label": f"地域：{area['label']}", "url": without("area", area["value"])}
                )
        department = values.get("department")
        if department is not None:
            active.append(
                {"label": f"担当：{department.name}", "url": without("department", department.code)}
            )
        return active


def program_sections(program):
    """The program page's sections in the handbook's order; empty ones are left out."""
    sections = [
        {"key": "target", "label": "対象者", "text": program.target},
        {"key": "points", "label": "事業のポイント", "text": program.points},
        {"key": "summary", "label": "支援期間・費用", "text": program.period or program.fee},
        {"key": "flow", "label": "ご利用の流れ", "text": program.flow},
        {"key": "results", "label": "利用実績", "text": program.results},
    ]
    return [s for s in sections if s["text"]]


class ProgramDetailView(DetailView):
    template_name = "programs/program_detail.html"
    context_object_name = "program"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            if kwargs.get("year") is not None:
                raise
            # A program the current edition no longer carries: say in which edition it ended and
            # link to that version (410 Gone: the address is not coming back).
            last = editions.last_version(kwargs["code"])
            if last is None:
                raise
            context = {"program": last}
            edition = current_edition(request)
            if edition is not None and last.edition.year < edition.year:
                context["changes_edition"] = edition
            return TemplateResponse(request, "programs/program_ended.html", context, status=410)

    def get_object(self, queryset=None):
        year = self.kwargs.get("year")
        edition = visible_edition(self.request, year)
        program = (
            Program.objects.select_related("edition", "chapter", "support_type", "department")
            .filter(edition=edition, code=self.kwargs["code"])
            .first()
        )
        if program is None or (year is None and program.status != Program.Status.ACTIVE):
            raise Http404("事業が見つかりません。")
        return program

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        program = self.object
        # Desks list programs by their stable code, so a desk found for one edition's program
        # also answers for the same program in another edition.
        desks = list(
            RegionalDesk.objects.for_program(program.code)
            .select_related("office")
            .prefetch_related("office__prefectures")
            .in_handbook_order()
        )
        for desk in desks:
            desk.label = desk_label_for(desk, program)
        context["desks"] = desks
        # The handbook's chapters have 4 to 22 programs; a directory grown to thousands gets the
        # first CHAPTER_LIST_LIMIT and a link to the whole chapter, not thousands of links.
        chapter_programs = list(
            Program.objects.filter(edition=program.edition, chapter=program.chapter)
            .active()
            .order_by("number")
            .only("pk", "code", "name")[: CHAPTER_LIST_LIMIT + 1]
        )
        context["chapter_programs"] = chapter_programs[:CHAPTER_LIST_LIMIT]
        context["chapter_more"] = len(chapter_programs) > CHAPTER_LIST_LIMIT
        # Only an active program of the current edition lives at /programs/<code>/.
        current = current_edition(self.request)
        context["is_current"] = program.status == Program.Status.ACTIVE and (
            program.edition_id == getattr(current, "pk", None)
        )
        if context["is_current"]:
            context["list_url"] = reverse("programs:program_list")
            context["list_label"] = "支援施策をさがす"
        else:
            context["list_url"] = reverse("programs:program_list_year", args=[program.edition.year])
            context["list_label"] = f"{program.edition.label}の支援施策"
            if not program.edition.is_draft:
                # An older version: point to the current one, or say when the program ended.
                context["successor"] = (
                    Program.objects.published(current).filter(code=program.code).first()
                )
                if context["successor"] is None:
                    context["ended_in"] = editions.last_version(program.code)
        context["chapter_url"] = f"{context['list_url']}?chapter={program.chapter.number}"
        context["prefectures"] = Prefecture.objects.all()
        # At a glance: the first number to call (not a fax) and the first web address.
        context["glance_phone"] = next((p for p in program.phone_list if not p.is_fax), None)
        context["glance_url"] = next((u for u in program.url_list if is_web_url(u)), "")
        context["service_ld"] = self.service_ld(
            program, context["glance_phone"], context["glance_url"]
        )
        context["sections"] = program_sections(program)
        context["shown_edition"] = program.edition
        return context

    def service_ld(self, program, phone, url):
        """schema.org GovernmentService for search engines (the page's own facts only)."""
        page = self.request.build_absolute_uri()
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": program.name,
            "url": page.split("?")[0],
            "serviceType": program.support_type.name,
            "provider": {
                "@type": "GovernmentOrganization",
                "name": "独立行政法人中小企業基盤整備機構",
                "alternateName": "中小機構",
                "url": "https://www.smrj.go.jp/",
            },
        }
        if program.tagline:
            data["description"] = program.tagline
        if program.audience:
            data["audience"] = [
                {"@type": "Audience", "audienceType": label} for label in program.audience_labels
            ]
        if program.is_nationwide:
            data["areaServed"] = {"@type": "Country", "name": "日本"}
        elif program.area:
            data["areaServed"] = [
                {"@type": "AdministrativeArea", "name": a} for a in program.area_list
            ]
        channel = {"@type": "ServiceChannel", "name": program.contact_name or program.name}
        if phone:
            channel["servicePhone"] = {"@type": "ContactPoint", "telephone": phone.number}
        if url:
            channel["serviceUrl"] = url
        data["availableChannel"] = channel
        return data


class EditionChangesView(TemplateView):
    """「令和7年度版の主な変更点」: new, retired and changed programs against the edition before
    (the same report as diff_edition and the admin, limited to the public columns)."""

    template_name = "programs/edition_changes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = visible_edition(self.request, kwargs["year"])
        base = changes.base_edition(edition)
        if base is None:
            raise Http404("比較する前の版がありません。")
        diff = changes.compare(edition, base)
        # Only what the program pages show (no section codes, 索引 readings or editorial notes).
        shown = {c.attribute for c in ProgramResource().import_columns() if c.on_page}
        chapters = {str(c.number): str(c) for c in Chapter.objects.all()}
        current = current_edition(self.request)
        changed = []
        for change in diff.changed:
            fields = [
                replace(f, old=chapters.get(f.old, f.old), new=chapters.get(f.new, f.new))
                if f.name == "chapter"
                else f
                for f in change.fields
                if f.name in shown
            ]
            if fields:
                changed.append(replace(change, fields=fields))
        for change in (*diff.new, *changed):
            change.url = edition_program_url(change.new, current)
        for change in diff.retired:
            change.url = edition_program_url(change.old, current)
        context.update(edition=edition, base=base, diff=diff, changed=changed, title=diff.title)
        context["shown_edition"] = edition
        return context


class KanaIndexView(TemplateView):
    """索引: the programs under the handbook's kana headings, in あいうえお order."""

    template_name = "programs/kana_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programs = published_programs(self.request).order_by(
            "index_heading", "reading", "chapter__number", "number"
        )
        context["groups"] = gojuon_groups(programs)
        return context


def open_data_columns():
    """(CSV header, JSON key, field) of the programs CSV's public columns, in CSV order (never
    the editorial notes); the chapter's name follows its number."""
    columns = []
    for column in ProgramResource().import_columns():
        if column.open_data:
            columns.append((column.column_name, column.open_data, column))
            if column.attribute == "chapter":
                columns.append(("経営課題名", "chapter_name", None))
    return columns


def open_data_value(program, column):
    """The stored value (numbers stay numbers in JSON); a reference by its natural key."""
    if column is None:  # 経営課題名
        return program.chapter.name
    value = column.get_value(program)
    if isinstance(column.widget, ChoiceListWidget):  # 対象: labels, one per line
        return column.widget.render(value)
    if isinstance(value, Model):
        return getattr(value, column.widget.field)
    return value


def field_description(model, column):
    """What a column holds, from its model field (verbose name and help text)."""
    try:
        field = model._meta.get_field(column.attribute)
    except Exception:
        return ""
    text = str(field.verbose_name)
    if getattr(field, "help_text", ""):
        text += f"：{field.help_text}"
    return text


# JSON keys of programs.json that are not CSV columns, or are shaped differently.
JSON_EXTRAS = [
    ("audience", '対象の一覧（例：["中小企業・小規模事業者", "支援機関"]）'),
    ("area", "地域の一覧（「全国」、または都道府県・市町村など）"),
    ("contact_phones", '電話番号の一覧（{"label": ラベル, "number": 番号}）'),
    ("urls", "ページに掲載のURLの一覧"),
    ("url", "このポータルでの事業のページ（CSV の「ページURL」）"),
]


class OpenDataView(TemplateView):
    """/open-data/: every dataset, every field (from the Columns), the licence and edition."""

    template_name = "programs/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        program_fields = []
        for header, key, column in open_data_columns():
            description = field_description(Program, column) if column else "経営課題（章）の名称"
            program_fields.append({"header": header, "key": key, "description": description})
        program_fields.append(
            {"header": "ページURL", "key": "url", "description": "このポータルでの事業のページ"}
        )
        datasets = []
        for dataset in DATASETS.values():
            model = dataset.resource._meta.model
            datasets.append(
                {
                    "slug": dataset.slug,
                    "title": dataset.title,
                    "csv": reverse(f"contacts:opendata_{dataset.slug}_csv"),
                    "json": reverse(f"contacts:opendata_{dataset.slug}_json"),
                    "params": dataset.params.items(),
                    "fields": [
                        {
                            "header": c.column_name,
                            "key": c.attribute,
                            "description": field_description(model, c),
                        }
                        for c in dataset.columns()
                    ],
                }
            )
        context.update(
            edition=current_edition(self.request),
            licence=opendata.LICENCE,
            program_fields=program_fields,
            json_extras=JSON_EXTRAS,
            export_params=EXPORT_PARAMS,
            datasets=datasets,
        )
        return context


EXPORT_PARAMS = ("q", "chapter", "support_type", "audience", "area", "department", "sort")


class ProgramExportView(View):
    """The list page's current selection (same parameters) as CSV or JSON. A parameter the
    list does not take, or a value it cannot read, answers 400 with a Japanese JSON error."""

    rejects_unknown_params = True  # core.page_cache leaves such requests to the view

    format = "csv"

    def get(self, request):
        unknown = opendata.unknown_params(request.GET, EXPORT_PARAMS)
        if unknown:
            return opendata.error(
                f"パラメーター「{'」「'.join(unknown)}」は使えません"
                f"（使えるもの：{'、'.join(EXPORT_PARAMS)}）。"
            )
        base = published_programs(request)
        filterset = ProgramFilter(request.GET or None, queryset=base, request=request)
        if filterset.is_bound and not filterset.is_valid():
            problems = [
                f"{filterset.form.fields[name].label}（{name}）：{' '.join(errors)}"
                for name, errors in filterset.form.errors.items()
            ]
            return opendata.error("指定された条件を読み取れません。" + " ".join(problems))
        programs = filterset.export_rows()
        edition = current_edition(request)
        year = edition.year if edition else "none"
        if self.format == "json":
            return self.as_json(request, programs, edition)
        return self.as_csv(request, programs, f"smrj-programs-{year}.csv")

    def page_url(self, request, program):
        return request.build_absolute_uri(reverse("programs:program_detail", args=[program.code]))

    def as_csv(self, request, programs, filename):
        columns = open_data_columns()
        headers = [header for header, _key, _column in columns] + ["ページURL"]
        rows = (
            [open_data_value(p, column) for _header, _key, column in columns]
            + [self.page_url(request, p)]
            for p in programs
        )
        return opendata.csv_response(headers, rows, filename)

    def as_json(self, request, programs, edition):
        columns = open_data_columns()
        items = []
        for program in programs:
            item = {key: open_data_value(program, column) for _h, key, column in columns}
            item["audience"] = program.audience_labels
            item["area"] = program.area_list
            item["contact_phones"] = [
                {"label": p.label, "number": p.number} for p in program.phone_list
            ]
            item["urls"] = program.url_list
            item["url"] = self.page_url(request, program)
            items.append(item)
        data = {
            "edition": opendata.edition_info(edition),
            "licence": opendata.LICENCE,
            "count": len(items),
            "programs": items,
        }
        return opendata.json_response(data)


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
