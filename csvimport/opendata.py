"""Open data: the licence every dataset is published under and the shared shape of the
exports (CSV with a file name, JSON with the licence and edition, a Japanese JSON error)."""

from django.http import HttpResponse, JsonResponse

from . import csvio

LICENCE = {
    "name": "公共データ利用規約（第1.0版）（PDL1.0）",
    "url": "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
    "compatible": "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）と互換",
    "compatible_url": "https://creativecommons.org/licenses/by/4.0/deed.ja",
    "attribution": "出典：中小機構 支援施策ポータル（「中小機構総合ハンドブック」を加工して作成）",
}


def edition_info(edition):
    if edition is None:
        return None
    return {
        "year": edition.year,
        "label": edition.label,
        "title": edition.title,
        "published_on": edition.published_on.isoformat() if edition.published_on else None,
    }


def error(message, status=400):
    """A Japanese JSON error (invalid parameters answer 400, never an empty dataset)."""
    response = JsonResponse(
        {"error": message, "status": status},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def csv_response(headers, rows, filename):
    response = HttpResponse(csvio.write(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def json_response(data):
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def unknown_params(query, allowed):
    """The parameter names in a query string that a dataset does not take."""
    return [key for key in query if key not in allowed]
