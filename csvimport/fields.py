"""Columns: each importable entity's columns are declared once, on its resource, as `Column`s.

A Column is a django-import-export Field (header, attribute, widget) that also says where else
the column appears: the admin form's fieldset (`group`), the change report (`compare`), the
public program page (`on_page`) and the open-data export (`open_data`, its JSON key). The admin
fieldsets, the CSV export, the public open data and the change reports all read these.
"""

from import_export import fields

from . import widgets


class Column(fields.Field):
    def __init__(
        self,
        attribute,
        header,
        widget=None,
        *,
        group="",
        compare=True,
        on_page=False,
        open_data=None,
    ):
        super().__init__(
            attribute=attribute, column_name=header, widget=widget or widgets.CharWidget()
        )
        self.group = group
        self.compare = compare
        self.on_page = on_page
        self.open_data = open_data


def text(attribute, header, **options):
    return Column(attribute, header, widgets.CharWidget(), **options)


def phone(attribute, header, **options):
    return Column(attribute, header, widgets.PhoneWidget(), **options)


def padded_code(attribute, header, width, **options):
    return Column(attribute, header, widgets.PaddedCodeWidget(width), **options)


def integer(attribute, header, **options):
    return Column(attribute, header, widgets.IntegerWidget(), **options)


def date(attribute, header, **options):
    return Column(attribute, header, widgets.DateWidget(), **options)


def flag(attribute, header, **options):
    return Column(attribute, header, widgets.FlagWidget(), **options)


def reference(attribute, header, model, key, label=None, **options):
    return Column(
        attribute, header, widgets.ReferenceWidget(model, key, label or header), **options
    )


def choice(attribute, header, choices, default=None, **options):
    return Column(
        attribute, header, widgets.ChoiceLabelWidget(choices, header, default=default), **options
    )


def choice_list(attribute, header, choices, **options):
    """Several values of a vocabulary in one cell, one label per line."""
    return Column(attribute, header, widgets.ChoiceListWidget(choices, header), **options)


def fieldsets(resource_class, *, extra=(), collapsed=()):
    """Admin fieldsets from a resource's Columns: one fieldset per `group`, in the order the
    groups first appear in the CSV; `extra` adds read-only fields to a group by name."""
    groups = {}
    for column in resource_class().import_columns():
        groups.setdefault(column.group or "基本情報", []).append(column.attribute)
    for group, names in extra:
        groups.setdefault(group, []).extend(names)
    return [
        (group, {"fields": names, **({"classes": ["collapse"]} if group in collapsed else {})})
        for group, names in groups.items()
    ]
