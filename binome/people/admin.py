from django.contrib import admin

from binome.people.models import Mentee, Mentor, Session


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "programme", "state"]
    list_filter = ["state", "programme"]
    search_fields = ["last_name", "first_name", "email"]


@admin.register(Mentee)
class MenteeAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "programme", "state"]
    list_filter = ["state", "programme"]
    search_fields = ["last_name", "first_name", "email"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["kind", "programme", "starts_at"]
