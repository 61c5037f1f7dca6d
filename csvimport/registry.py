"""Every importable model, its resource and its file name (settings.CSVIMPORT_REGISTRY), in
dependency order: later entries refer to earlier ones. The project's settings name them, so
this app never imports the apps whose data it imports."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Entry:
    resource_path: str
    filename: str

    @property
    def resource_class(self):
        return import_string(self.resource_path)

    @property
    def model(self):
        return self.resource_class._meta.model

    @property
    def label(self):
        return self.model._meta.label


def entries():
    return [Entry(path, filename) for path, filename in settings.CSVIMPORT_REGISTRY]


def labels():
    """The importable models as commands list them: programs.Edition、programs.Chapter…"""
    return "、".join(entry.label for entry in entries())


def resource_for(label):
    """The resource class for a model label (case-insensitive: programs.program works)."""
    for entry in entries():
        if entry.label.lower() == label.lower():
            return entry.resource_class
    raise KeyError(label)


def resource_for_model(model):
    return resource_for(model._meta.label)
