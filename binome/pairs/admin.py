from django.contrib import admin

from binome.pairs.models import Pair


@admin.register(Pair)
class PairAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "state", "started_on"]
    list_filter = ["state", "programme"]
    raw_id_fields = ["mentor", "mentee"]
