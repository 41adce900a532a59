from django.db import models
from django.utils.translation import gettext_lazy as _


class MentoringKind(models.TextChoices):
    PROFESSIONAL_INSERTION = "professional_insertion", _("Finding a job")
    ORIENTATION = "orientation", _("Choosing a path")
    SCHOOL_SUPPORT = "school_support", _("School support")
    BUSINESS_CREATION = "business_creation", _("Starting a business")
    JOB_APPLICATION = "job_application", _("CV and cover letters")


class Side(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")
