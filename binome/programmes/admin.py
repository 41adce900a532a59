from django.contrib import admin

from binome.programmes.models import InterviewCriterion, Programme


class InterviewCriterionInline(admin.TabularInline):
    model = InterviewCriterion
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "duration_months", "is_active"]
    list_filter = ["organisation", "is_active"]
    inlines = [InterviewCriterionInline]
