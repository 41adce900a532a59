from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    FEDERATION = "federation", _("Federation")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner (read only)")


# Roles allowed to change data; partners (insertion partners, prescribers) only read.
EDITOR_ROLES = {Role.ADMIN, Role.COORDINATOR}
