from django import forms

from . import directory
from .models import RegionalDesk


class RegionalDeskForm(forms.ModelForm):
    class Meta:
        model = RegionalDesk
        fields = ["office", "code", "section", "phone", "program_labels", "program_codes", "order"]

    def clean_program_codes(self):
        value = self.cleaned_data.get("program_codes", "")
        codes = [c.strip() for c in value.splitlines() if c.strip()]
        unknown = directory.unknown_codes(codes) if codes else []
        if unknown:
            raise forms.ValidationError(directory.get().unknown_message(unknown))
        return "\n".join(codes)
