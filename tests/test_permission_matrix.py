"""The permission matrix of README.md, walked cell by cell through the real admin URLs.

The table between <!-- permission-matrix --> markers is the specification: every ○ must work and
every × must be refused, by GET (the page or download) and by POST (the form or action), and the
two must agree. A role, an entity or an action missing from the table fails the test."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from contacts.models import Department, Section
from csvimport import csvio
from csvimport.registry import resource_for_model
from programs.models import Chapter, Edition, Program
from tests.factories import (
    ChapterFactory,
    DepartmentFactory,
    EditionFactory,
    ProgramFactory,
    SectionFactory,
)

ACTIONS = ["閲覧", "追加", "変更", "削除", "取込", "書出", "公開"]
ROLES = {
    "スーパーユーザー": "superuser",
    "閲覧者": "reviewer",
    "データ取込担当": "importer",
    "編集者：<部門>": "editor",
    "編集者：<部門>（部門名の変更と setup_roles の再実行の後）": "renamed_editor",
    "部門に結び付いていない「編集者：」グループ": "orphan_editor",
    "グループのない職員": "no_group",
}
ENTITIES = [
    "ハンドブック版（下書き）",
    "ハンドブック版（公開中）",
    "ハンドブック版（アーカイブ）",
    "事業（自部門）",
    "事業（他部門）",
    "事業（アーカイブの版）",
    "課・室（自部門）",
    "課・室（他部門）",
    "担当部門",
    "経営課題ほか（その他の一覧）",
]


def read_matrix():
    text = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- permission-matrix -->\n(.*?)\n<!-- /permission-matrix -->", text, re.S)
    header, _rule, *rows = [
        [cell.strip() for cell in line.strip("|").split("|")] for line in table[1].splitlines()
    ]
    assert header == ["役割", "対象", *ACTIONS]
    cells = {}
    for role, entity, *marks in rows:
        for action, mark in zip(ACTIONS, marks, strict=True):
            assert mark in ("○", "×", "—"), (role, entity, action, mark)
            if mark != "—":
                cells[(role, entity, action)] = mark == "○"
    return cells


MATRIX = read_matrix()


def test_the_matrix_covers_every_role_and_entity():
    assert {role for role, _e, _a in MATRIX} == set(ROLES)
    assert {entity for _r, entity, _a in MATRIX} == set(ENTITIES)
    # Every row says at least whether the role may view and change it.
    for role in ROLES:
        for entity in ENTITIES:
            assert (role, entity, "閲覧") in MATRIX and (role, entity, "変更") in MATRIX


# --- the data every cell starts from ------------------------------------------------------------

OWN, OTHER = "経営支援部", "ファンド事業部"


@dataclass
class World:
    draft: Edition
    current: Edition
    archived: Edition
    own_program: Program
    other_program: Program
    archived_program: Program
    own_section: Section
    other_section: Section
    spare_department: Department
    spare_chapter: Chapter
    empty_draft: Edition


@pytest.fixture
def world(db):
    own = DepartmentFactory(code="management-support", name=OWN)
    other = DepartmentFactory(code="fund", name=OTHER)
    archived = EditionFactory(year=2024, status="archived")
    current = EditionFactory(year=2025, published_on=datetime.date(2025, 4, 1))
    draft = EditionFactory(year=2026, status="draft", published_on=None)
    ProgramFactory(edition=draft, department=own)  # a draft that can be published
    call_command("setup_roles", verbosity=0)
    return World(
        draft=draft,
        current=current,
        archived=archived,
        own_program=ProgramFactory(edition=current, department=own, code="own-program"),
        other_program=ProgramFactory(edition=current, department=other),
        archived_program=ProgramFactory(edition=archived, department=own),
        own_section=SectionFactory(department=own),
        other_section=SectionFactory(department=other),
        spare_department=DepartmentFactory(code="spare", name="予備の部"),
        spare_chapter=ChapterFactory(number=9, name="予備の章"),
        empty_draft=EditionFactory(year=2028, status="draft", published_on=None),
    )


def member_of(name, group):
    user = User.objects.create_user(name, password="pw", is_staff=True)
    if group is not None:
        user.groups.add(group)
    return user


def make_user(role):
    if role == "superuser":
        return User.objects.create_superuser("chief", "chief@example.jp", "pw")
    if role == "reviewer":
        return member_of(role, Group.objects.get(name="閲覧者"))
    if role == "importer":
        return member_of(role, Group.objects.get(name="データ取込担当"))
    if role == "editor":
        return member_of(role, Group.objects.get(name=f"編集者：{OWN}"))
    if role == "renamed_editor":
        # The scenario: the department is renamed, setup_roles is run again.
        user = member_of(role, Group.objects.get(name=f"編集者：{OWN}"))
        Department.objects.filter(name=OWN).update(name="経営支援推進部")
        call_command("setup_roles", verbosity=0)
        assert Group.objects.filter(name__startswith="編集者：経営支援").count() == 1
        return user
    if role == "orphan_editor":
        # An editor group linked to no department that still holds every editor permission
        # (made by hand after setup_roles, or left over): it must grant nothing but reading.
        template = Group.objects.get(name=f"編集者：{OWN}")
        orphan = Group.objects.create(name="編集者：旧組織")
        orphan.permissions.set(template.permissions.all())
        return member_of(role, orphan)
    return member_of(role, None)


# --- how each entity is reached ----------------------------------------------------------------


@dataclass
class Target:
    url: str  # the changelist
    obj: object
    field: str  # a field the change form edits
    new_value: object
    add_changes: dict  # what makes a copy of obj a new, valid row
    list_query: str = ""
    deletable: object = None  # what a delete tries, when obj is referenced (PROTECT)


def target(world, entity):
    editions, programs = "/admin/programs/edition/", "/admin/programs/program/"
    sections, chapters = "/admin/contacts/section/", "/admin/programs/chapter/"
    new_program = {"code": "new-program", "number": 99}
    new_section = {"code": "new-section", "name": "新しい課"}
    return {
        "ハンドブック版（下書き）": Target(
            editions, world.draft, "title", "新しい題名", {"year": 2027}, "", world.empty_draft
        ),
        "ハンドブック版（公開中）": Target(editions, world.current, "title", "新しい題名", {}),
        "ハンドブック版（アーカイブ）": Target(
            editions, world.archived, "title", "新しい題名", {}, "?edition=all"
        ),
        "事業（自部門）": Target(programs, world.own_program, "name", "新しい名前", new_program),
        "事業（他部門）": Target(programs, world.other_program, "name", "新しい名前", {}),
        "事業（アーカイブの版）": Target(
            programs, world.archived_program, "name", "新しい名前", {}, "?edition=all"
        ),
        "課・室（自部門）": Target(sections, world.own_section, "name", "新しい課名", new_section),
        "課・室（他部門）": Target(sections, world.other_section, "name", "新しい課名", {}),
        "担当部門": Target(
            "/admin/contacts/department/",
            world.spare_department,
            "order",
            7,
            {"code": "new-dept", "name": "新しい部"},
        ),
        "経営課題ほか（その他の一覧）": Target(
            chapters, world.spare_chapter, "name", "新しい章", {"number": 98, "name": "新しい章2"}
        ),
    }[entity]


def form_data(response):
    """What the change form would post back as it is (main form and inline formsets)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value
    return data


def admin_form(world, t):
    """The object's change form as a superuser sees it (the data a POST must carry)."""
    chief = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "form-reader", "reader@example.jp", "pw"
    )
    reader = Client()
    reader.force_login(chief)
    response = reader.get(f"{t.url}{t.obj.pk}/change/")
    assert response.status_code == 200
    return form_data(response)


def is_csv(response):
    return response.status_code == 200 and response["Content-Type"].startswith("text/csv")


# --- the cells ---------------------------------------------------------------------------------


def can_view(client, world, t):
    listing = client.get(t.url + t.list_query).status_code
    page = client.get(f"{t.url}{t.obj.pk}/change/").status_code
    assert listing == page, (listing, page)
    return page == 200


def can_add(client, world, t):
    data = {**admin_form(world, t), **t.add_changes}
    model = type(t.obj)
    before = model.objects.count()
    page = client.get(f"{t.url}add/").status_code
    response = client.post(f"{t.url}add/", data)
    added = model.objects.count() == before + 1
    assert response.status_code in (302, 403), response.status_code
    assert (page == 200) == added == (response.status_code == 302)
    return added


def can_change(client, world, t):
    data = {**admin_form(world, t), t.field: t.new_value}
    page = client.get(f"{t.url}{t.obj.pk}/change/")
    editable = page.status_code == 200 and f'name="{t.field}"' in page.content.decode()
    response = client.post(f"{t.url}{t.obj.pk}/change/", data)
    assert response.status_code in (302, 403), response.status_code
    t.obj.refresh_from_db()
    changed = getattr(t.obj, t.field) == t.new_value
    assert editable == changed == (response.status_code == 302)
    return changed


def can_delete(client, world, t):
    obj = t.deletable or t.obj
    page = client.get(f"{t.url}{obj.pk}/delete/").status_code
    response = client.post(f"{t.url}{obj.pk}/delete/", {"post": "yes"})
    assert response.status_code in (302, 403), response.status_code
    gone = not type(obj).objects.filter(pk=obj.pk).exists()
    assert (page == 200) == gone == (response.status_code == 302)
    return gone


def can_import(client, world, t):
    model = type(t.obj)
    headers, rows = resource_for_model(model)().export_rows(model.objects.filter(pk=t.obj.pk))
    upload = SimpleUploadedFile("rows.csv", csvio.write(headers, rows, "utf-8-sig"))
    page = client.get(f"{t.url}import/").status_code
    response = client.post(f"{t.url}import/", {"file": upload, "encoding": "auto"})
    assert response.status_code in (302, 403), response.status_code
    assert (page == 200) == (response.status_code == 302)
    return response.status_code == 302


def can_export(client, world, t):
    download = client.get(f"{t.url}export/", {"format": "utf-8-sig"})
    action = client.post(
        t.url + t.list_query, {"action": "export_selected_csv", ACTION_CHECKBOX_NAME: [t.obj.pk]}
    )
    results = [is_csv(download), is_csv(action)]
    if isinstance(t.obj, Edition):
        results.append(is_csv(client.get(f"{t.url}{t.obj.pk}/changes.csv")))
    assert len(set(results)) == 1, results
    return results[0]


def can_publish(client, world, t):
    listing = client.get(t.url + t.list_query)
    action_form = listing.context.get("action_form") if listing.status_code == 200 else None
    offered = action_form is not None and "publish_selected" in [
        name for name, _label in action_form.fields["action"].choices
    ]
    before = t.obj.status
    client.post(
        t.url + t.list_query,
        {"action": "publish_selected", ACTION_CHECKBOX_NAME: [t.obj.pk], "post": "yes"},
    )
    t.obj.refresh_from_db()
    published = before != Edition.Status.PUBLISHED and t.obj.status == Edition.Status.PUBLISHED
    assert Edition.objects.filter(status=Edition.Status.PUBLISHED).count() == 1
    if published:
        assert offered
    return published


CHECKS = {
    "閲覧": can_view,
    "追加": can_add,
    "変更": can_change,
    "削除": can_delete,
    "取込": can_import,
    "書出": can_export,
    "公開": can_publish,
}


@pytest.mark.parametrize(
    ("role", "entity", "action", "allowed"),
    [(*cell, allowed) for cell, allowed in MATRIX.items()],
    ids=[f"{ROLES[r]}-{ENTITIES.index(e)}-{ACTIONS.index(a)}" for r, e, a in MATRIX],
)
def test_permission_matrix(client, world, role, entity, action, allowed):
    client.force_login(make_user(ROLES[role]))
    assert CHECKS[action](client, world, target(world, entity)) is allowed


def test_an_editor_with_the_import_permission_still_changes_only_their_departments(client, world):
    """Permissions given directly to a user are unscoped; through the editor group they are not
    (so the group never widens, and an extra grant is deliberate)."""
    editor = make_user("editor")
    client.force_login(editor)
    url = f"/admin/programs/program/{world.other_program.pk}/change/"
    page = client.get(url).content.decode()
    assert f"この事業の担当部門は{OTHER}です。編集できるのは{OTHER}の編集者です。" in page
    assert "自分の担当" in client.get("/admin/programs/program/").content.decode()
    mine = client.get("/admin/programs/program/").context["cl"].result_list
    assert {p.department.name for p in mine} == {OWN}
    everything = client.get("/admin/programs/program/?mine=all").context["cl"].result_list
    assert {p.department.name for p in everything} == {OWN, OTHER}
    editor.user_permissions.add(Permission.objects.get(codename="change_program"))
    client.force_login(User.objects.get(pk=editor.pk))
    assert 'name="name"' in client.get(url).content.decode()


def test_an_editor_points_their_program_only_at_a_section_of_their_own(client, world):
    """An outside probe, as an editor, gave their own program another department's 課・室 as
    its contact: that desk would get the program's questions."""
    client.force_login(make_user("editor"))
    url = f"/admin/programs/program/{world.own_program.pk}/change/"
    page = client.get(url)
    choices = page.context["adminform"].form.fields["contact_section"].queryset
    assert world.own_section in choices and world.other_section not in choices
    data = form_data(page)
    response = client.post(url, {**data, "contact_section": world.other_section.pk})
    assert response.status_code == 200  # the form again, with the error
    assert "contact_section" in response.context["adminform"].form.errors
    world.own_program.refresh_from_db()
    assert world.own_program.contact_section_id != world.other_section.pk
    assert client.post(url, {**data, "contact_section": world.own_section.pk}).status_code == 302
    world.own_program.refresh_from_db()
    assert world.own_program.contact_section_id == world.own_section.pk
    # The drop-down's search offers the same choices.
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "programs", "model_name": "program", "field_name": "contact_section"},
    ).json()["results"]
    assert {r["id"] for r in found} == {str(world.own_section.pk)}
    # A superuser may still name any 課・室.
    client.force_login(make_user("superuser"))
    choices = client.get(url).context["adminform"].form.fields["contact_section"].queryset
    assert world.other_section in choices


def test_an_editor_saving_their_program_keeps_a_section_a_superuser_chose(client, world):
    """A superuser may name another department's 課・室; the editor's next save of another
    field must keep it, not clear it (an outside probe found it cleared)."""
    world.own_program.contact_section = world.other_section
    world.own_program.save()
    client.force_login(make_user("editor"))
    url = f"/admin/programs/program/{world.own_program.pk}/change/"
    page = client.get(url)
    data = form_data(page)
    assert data["contact_section"] == world.other_section.pk
    response = client.post(url, {**data, "tagline": "編集者が変えたキャッチコピー"})
    assert response.status_code == 302
    world.own_program.refresh_from_db()
    assert world.own_program.tagline == "編集者が変えたキャッチコピー"
    assert world.own_program.contact_section_id == world.other_section.pk
