from django.apps import AppConfig


class CsvImportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "csvimport"
    verbose_name = "CSV取り込み"
