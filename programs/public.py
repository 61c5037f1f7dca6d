"""Helpers shared by the public pages of both apps."""

import re
from itertools import groupby

from contacts.models import RegionalDesk

from .models import Edition, Program


def current_edition(request):
    """The edition the public sees, looked up once per request (the header shows it too)."""
    if not hasattr(request, "_current_edition"):
        request._current_edition = Edition.objects.current()
    return request._current_edition


def _heading_key(heading):
    # Hiragana sort in あいうえお order by code point; headings in other scripts come after.
    is_hiragana = bool(heading) and "\u3041" <= heading[0] <= "\u309f"
    return (not is_hiragana, not heading, heading)


def gojuon_groups(programs):
    """[(heading, [programs…]), …] in あいうえお order; programs without a heading last."""
    programs = sorted(programs, key=lambda p: (_heading_key(p.index_heading), p.reading, p.name))
    return [
        (heading or "その他", list(items))
        for heading, items in groupby(programs, key=lambda p: p.index_heading)
    ]


# The desks table prints each program as 「第4章-1 中小企業事業承継円滑化支援事業」.
_LABEL_RE = re.compile(r"^第\s*(\d+)\s*章\s*[-－ー‐]\s*(\d+)\s*(.*)$")


def parse_desk_labels(desk):
    """The printed program lines of a desk: [(chapter, number, text, line), …]."""
    labels = []
    for line in desk.program_labels.splitlines():
        line = line.strip()
        if not line:
            continue
        match = _LABEL_RE.match(line)
        if match:
            labels.append((int(match[1]), int(match[2]), match[3].strip(), line))
        else:
            labels.append((None, None, line, line))
    return labels


def desk_labels_for(desk, program):
    """How the desks table prints this program for this desk (e.g. 「カーボンニュートラル支援
    事業（支援機関支援）」), when that says more than the program's name."""
    for chapter, number, text, _line in parse_desk_labels(desk):
        if (chapter, number) == (program.chapter.number, program.number) and text != program.name:
            return text
    return ""


def attach_desk_programs(desks, edition):
    """Give each desk `program_items`: its printed lines, each linked to the program of the
    given edition it names. Desks link programs by their stable code, so the links hold across
    editions; a linked program the printed lines do not mention is added at the end.

    Two queries, whatever the number of desks and programs."""
    desks = list(desks)
    links = RegionalDesk.programs.through.objects.filter(
        regionaldesk_id__in=[d.pk for d in desks]
    ).values_list("regionaldesk_id", "program__code")
    codes_by_desk = {}
    for desk_id, code in links:
        codes_by_desk.setdefault(desk_id, set()).add(code)
    all_codes = set().union(*codes_by_desk.values()) if codes_by_desk else set()
    current = {}
    if edition is not None and all_codes:
        current = {
            p.code: p
            for p in Program.objects.published(edition)
            .filter(code__in=all_codes)
            .select_related("chapter")
            .order_by("chapter__number", "number")
        }
    for desk in desks:
        programs = [current[c] for c in codes_by_desk.get(desk.pk, ()) if c in current]
        programs.sort(key=lambda p: (p.chapter.number, p.number))
        by_position = {(p.chapter.number, p.number): p for p in programs}
        items, used = [], set()
        for chapter, number, _text, line in parse_desk_labels(desk):
            program = by_position.get((chapter, number))
            if program is not None:
                used.add(program.pk)
            items.append({"text": line, "program": program})
        for program in programs:
            if program.pk not in used:
                label = f"第{program.chapter.number}章-{program.number} {program.name}"
                items.append({"text": label, "program": program})
        desk.program_items = items
        desk.program_codes = codes_by_desk.get(desk.pk, set())
    return desks
