"""The handbook's 「地域本部／関係機関」お問合せ先一覧: which desk answers for which program."""

import re

from . import directory

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


def desk_label_for(desk, program):
    """How the desks table prints this program for this desk (e.g. 「カーボンニュートラル支援
    事業（支援機関支援）」), when that says more than the program's name."""
    for chapter, number, text, _line in parse_desk_labels(desk):
        if (chapter, number) == (program.chapter.number, program.number) and text != program.name:
            return text
    return ""


def attach_desk_programs(desks, request):
    """Give each desk `program_items`: its printed lines, each linked to the program the visitor
    can see that it names. Desks name programs by their stable code, so the links hold across
    editions; a named program the printed lines do not mention is added at the end.

    One query for the programs, whatever the number of desks."""
    desks = list(desks)
    all_codes = {code for desk in desks for code in desk.code_list}
    published = directory.get().published(request, all_codes) if all_codes else {}
    for desk in desks:
        programs = [published[c] for c in desk.code_list if c in published]
        programs.sort(key=lambda p: (p.chapter.number, p.number))
        by_position = {(p.chapter.number, p.number): p for p in programs}
        items, used = [], set()
        for chapter, number, _text, line in parse_desk_labels(desk):
            program = by_position.get((chapter, number))
            if program is not None:
                used.add(program.code)
            items.append({"text": line, "program": program})
        for program in programs:
            if program.code not in used:
                label = f"第{program.chapter.number}章-{program.number} {program.name}"
                items.append({"text": label, "program": program})
        desk.program_items = items
        desk.program_codes_set = set(desk.code_list)
    return desks
