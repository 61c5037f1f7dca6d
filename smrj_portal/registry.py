"""Every importable model, its resource and its file in fixtures/, in dependency order."""

from contacts import resources as contact_resources
from programs import resources as program_resources

# (model label, resource class, fixture file name); later entries refer to earlier ones.
ENTRIES = [
    ("programs.Edition", program_resources.EditionResource, "editions.csv"),
    ("programs.Chapter", program_resources.ChapterResource, "chapters.csv"),
    ("programs.SupportType", program_resources.SupportTypeResource, "support_types.csv"),
    ("contacts.RegionalOffice", contact_resources.RegionalOfficeResource, "offices.csv"),
    ("contacts.Department", contact_resources.DepartmentResource, "departments.csv"),
    ("contacts.Section", contact_resources.SectionResource, "sections.csv"),
    ("contacts.Prefecture", contact_resources.PrefectureResource, "prefectures.csv"),
    ("contacts.PartnerOrganization", contact_resources.PartnerOrganizationResource, "partners.csv"),
    ("contacts.Campus", contact_resources.CampusResource, "campuses.csv"),
    ("programs.Program", program_resources.ProgramResource, "programs.csv"),
    ("contacts.RegionalDesk", contact_resources.RegionalDeskResource, "desks.csv"),
]

RESOURCES = {label: resource for label, resource, _ in ENTRIES}


def resource_for(label):
    for known in RESOURCES:
        if known.lower() == label.lower():
            return RESOURCES[known]
    raise KeyError(label)


def resource_for_model(model):
    return resource_for(model._meta.label)
