"""Open data of the contacts: offices, regional desks and each prefecture's partner bodies, as
CSV (the same columns as the admin's CSV) or JSON (keys = the columns' attributes)."""

from dataclasses import dataclass, field

from django.views import View

from csvimport import opendata

from . import directory
from .models import PartnerOrganization, Prefecture, RegionalDesk, RegionalOffice
from .resources import PartnerOrganizationResource, RegionalDeskResource, RegionalOfficeResource


@dataclass
class Dataset:
    slug: str
    title: str
    resource: type
    params: dict = field(default_factory=dict)  # parameter → its description

    def columns(self):
        return [c for c in self.resource().import_columns() if c.attribute != "order"]

    def queryset(self):
        raise NotImplementedError

    def check(self, params):
        """An error message for invalid parameter values, or ""."""
        return ""

    def filter(self, queryset, params):
        return queryset


class Offices(Dataset):
    def queryset(self):
        return RegionalOffice.objects.select_related("parent").order_by("order", "code")


class Desks(Dataset):
    def queryset(self):
        return RegionalDesk.objects.select_related("office").in_handbook_order()

    def check(self, params):
        code = params.get("office")
        if code is not None and not RegionalOffice.objects.filter(code=code).exists():
            return (
                f"事業拠点コード「{code}」はありません。"
                "/open-data/offices.json のコードを指定してください。"
            )
        return ""

    def filter(self, queryset, params):
        return queryset.filter(office__code=params["office"]) if "office" in params else queryset


class Partners(Dataset):
    def queryset(self):
        return PartnerOrganization.objects.select_related("prefecture").order_by(
            "prefecture__code", "order", "code"
        )

    def check(self, params):
        code = params.get("prefecture")
        if code is not None and not Prefecture.objects.filter(code=code).exists():
            return f"都道府県コード「{code}」はありません。01～47の2桁で指定してください。"
        kind = params.get("kind")
        if kind is not None and kind not in PartnerOrganization.Kind.values:
            allowed = "、".join(PartnerOrganization.Kind.values)
            return f"種別「{kind}」はありません。次のいずれかを指定してください：{allowed}"
        return ""

    def filter(self, queryset, params):
        if "prefecture" in params:
            queryset = queryset.filter(prefecture__code=params["prefecture"])
        if "kind" in params:
            queryset = queryset.filter(kind=params["kind"])
        return queryset


DATASETS = {
    d.slug: d
    for d in (
        Offices("offices", "事業拠点（本部・地域本部・事務所・大学校）", RegionalOfficeResource),
        Desks(
            "desks",
            "地域本部のお問合せ窓口と担当事業",
            RegionalDeskResource,
            {"office": "地域本部のコード（例：chugoku）"},
        ),
        Partners(
            "partners",
            "都道府県の関係機関（事業承継・引継ぎ支援センター、中小企業活性化協議会、よろず支援拠点、高度化事業の担当課）",
            PartnerOrganizationResource,
            {
                "prefecture": "都道府県コード（2桁。例：33）",
                "kind": "種別（例：よろず支援拠点）",
            },
        ),
    )
}


class ContactsExportView(View):
    """/open-data/<dataset>.csv|json — unknown parameters or values answer 400 in Japanese."""

    rejects_unknown_params = True  # core.page_cache leaves such requests to the view

    dataset = ""
    format = "csv"

    def get(self, request):
        dataset = DATASETS[self.dataset]
        unknown = opendata.unknown_params(request.GET, dataset.params)
        if unknown:
            allowed = "、".join(dataset.params) or "なし"
            return opendata.error(
                f"パラメーター「{'」「'.join(unknown)}」は使えません（使えるもの：{allowed}）。"
            )
        params = {key: request.GET[key].strip() for key in request.GET}
        message = dataset.check(params)
        if message:
            return opendata.error(message)
        rows = list(dataset.filter(dataset.queryset(), params))
        columns = dataset.columns()
        if self.format == "json":
            edition = directory.get().current_edition(request)
            return opendata.json_response(
                {
                    "dataset": dataset.title,
                    "licence": opendata.LICENCE,
                    "edition": opendata.edition_info(edition),
                    "count": len(rows),
                    "items": [{c.attribute: c.export(obj) for c in columns} for obj in rows],
                }
            )
        return opendata.csv_response(
            [c.column_name for c in columns],
            ([c.export(obj) for c in columns] for obj in rows),
            f"smrj-{dataset.slug}.csv",
        )
