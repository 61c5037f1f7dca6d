import django_filters
from django import forms
from django.db.models import Q

from contacts.models import Department
from smrj_portal.japanese import normalize

from .models import Chapter, Program, SupportType


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="キーワード", method="filter_keyword")
    chapter = django_filters.ModelMultipleChoiceFilter(
        label="経営課題",
        field_name="chapter__number",
        to_field_name="number",
        queryset=Chapter.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    support_type = django_filters.ModelMultipleChoiceFilter(
        label="支援施策別",
        field_name="support_type__number",
        to_field_name="number",
        queryset=SupportType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    department = django_filters.ModelChoiceFilter(
        label="担当部門",
        field_name="department__code",
        to_field_name="code",
        queryset=Department.objects.filter(programs__isnull=False).distinct(),
        empty_label="すべて",
    )
    sort = django_filters.ChoiceFilter(
        label="並び順",
        choices=[("kana", "五十音順")],
        empty_label="ハンドブック順",
        method="filter_sort",
    )

    class Meta:
        model = Program
        fields = ["q", "chapter", "support_type", "department"]

    SORT_ORDERS = {"kana": ("reading", "chapter__number", "number")}

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*self.SORT_ORDERS.get(value, ("chapter__number", "number")))

    def filter_keyword(self, queryset, name, value):
        # search_index holds NFKC-folded text, so ＩＴ, IT and ｉｔ all match the same rows.
        condition = Q()
        for word in normalize(value).split():
            condition &= Q(search_index__contains=word)
        return queryset.filter(condition)
