from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.models import TimeStampedModel
from binome.organisations.enums import EDITOR_ROLES, OrganisationKind, Role


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__is_active=True).distinct()


class Organisation(TimeStampedModel):
    """An association running programmes (the tenant), or a federation routing to them."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=OrganisationKind, default=OrganisationKind.ASSOCIATION
    )
    federation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": OrganisationKind.FEDERATION},
        verbose_name=_("federation"),
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_federation(self):
        return self.kind == OrganisationKind.FEDERATION


class Membership(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.COORDINATOR)
    is_active = models.BooleanField(_("active"), default=True)
    # Partner role: the referring organisation the member works for (a Mission Locale...).
    # The partner sees only the mentees it referred; the association lists it as a referrer.
    partner_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        # The organisation gone, the partner sees nobody (never everybody).
        on_delete=models.SET_NULL,
        related_name="partner_memberships",
        verbose_name=_("partner organisation represented"),
    )

    class Meta:
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="role_valid"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def can_edit(self):
        return self.role in EDITOR_ROLES

    @property
    def is_partner(self):
        return self.role == Role.PARTNER
