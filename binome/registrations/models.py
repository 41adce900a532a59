import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.core.models import TimeStampedModel, TransitionLog
from binome.registrations.enums import (
    OPEN_STATES,
    AttemptOutcome,
    CompanySize,
    ConsentKind,
    ConsentParty,
    DeclineReason,
    ReferrerRole,
    RegistrationKind,
    RegistrationState,
    age_band,
)
from binome.registrations.querysets import (
    OfferQuerySet,
    RegistrationQuerySet,
    RoutingAttemptQuerySet,
)

SIDES = [("mentee", _("Mentees")), ("mentor", _("Mentors"))]


class Offer(TimeStampedModel):
    """What a member association declares for one programme and one side: territories,
    publics, kinds of mentoring and open places over a period. Routing reads only this."""

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name=_("programme"),
    )
    side = models.CharField(_("for"), max_length=8, choices=SIDES, default="mentee")
    # Territory: empty everywhere = the whole country (remote or national programmes).
    departments = models.JSONField(_("départements"), default=list, blank=True)
    communes = models.JSONField(_("towns"), default=list, blank=True)
    radius_places = models.JSONField(_("places (centre of a radius)"), default=list, blank=True)
    radius_km = models.PositiveSmallIntegerField(
        _("radius (km)"), default=0, validators=[MaxValueValidator(500)]
    )
    age_min = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    situations = models.JSONField(_("situations"), default=list, blank=True)
    publics = models.JSONField(_("priority publics"), default=list, blank=True)
    publics_only = models.BooleanField(
        _("only these priority publics"),
        default=False,
        help_text=_("Tick if the programme takes only people from the priority publics above."),
    )
    kinds = models.JSONField(_("kinds of mentoring"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("open places"), default=0)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    is_active = models.BooleanField(_("open"), default=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["programme__organisation__name", "programme__name", "side"]
        verbose_name = _("routing offer")
        constraints = [
            models.UniqueConstraint(fields=["programme", "side"], name="offer_programme_side"),
            models.CheckConstraint(
                condition=Q(side__in=["mentee", "mentor"]), name="offer_side_valid"
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
                name="offer_age_range",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(starts_on__lte=models.F("ends_on")),
                name="offer_period",
            ),
        ]

    def __str__(self):
        return f"{self.programme} ({self.get_side_display()})"


class Registration(TimeStampedModel):
    """A request made on the public site, from intake to being taken in charge.

    The identity fields are shown to an association only once it accepts the request;
    until then it sees the semi-anonymised card (``card`` / ``need_redacted``).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=RegistrationKind)
    side = models.CharField(_("side"), max_length=8, choices=SIDES)
    state = models.CharField(
        _("state"), max_length=12, choices=RegistrationState, default=RegistrationState.RECEIVED
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(_("language"), max_length=8, default="fr")
    # Routing: the federation that owns the queue (None on single-organisation instances),
    # the association currently holding the request and the offer that was used.
    federation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="federation_registrations",
        db_index=False,  # one federation per instance, as a rule: the index would not select
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("association"),
    )
    # Places are counted on the attempts; this link only serves the acceptance's default
    # programme, hence no index.
    offer = models.ForeignKey(
        Offer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
        db_index=False,
    )
    # Who handles the request when no association could take it (``services.QueueOwners``):
    # the routing federation, or with several federations or none, the organisation the rule
    # picks. Set when the request enters the queue.
    queue_owner = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="queued_registrations",
        db_index=False,  # partial index below
    )
    routing_reason = models.CharField(_("routing reason"), max_length=500, blank=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    contacted_at = models.DateTimeField(null=True, blank=True)
    # What routing and the card need (no identity).
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1920), MaxValueValidator(2030)],
    )
    place = models.CharField(_("town or postcode"), max_length=32, blank=True)
    situation = models.CharField(_("situation"), max_length=20, blank=True)
    publics = models.JSONField(_("priority publics"), default=list, blank=True)
    kinds = models.JSONField(_("kinds of mentoring"), default=list, blank=True)
    need = models.TextField(_("what you are looking for"), blank=True)
    need_redacted = models.TextField(blank=True)
    # Identity and contact (hidden until an association accepts).
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    guardian_consent = models.BooleanField(_("a parent or guardian agrees"), default=False)
    consent_at = models.DateTimeField(null=True, blank=True)
    # Someone registering a young person.
    referrer_role = models.CharField(_("you are"), max_length=12, choices=ReferrerRole, blank=True)
    referrer_name = models.CharField(_("your name"), max_length=200, blank=True)
    referrer_structure = models.CharField(_("your structure"), max_length=200, blank=True)
    referrer_email = models.EmailField(_("your e-mail"), blank=True)
    referrer_phone = models.CharField(_("your phone"), max_length=30, blank=True)
    # A company engaging its employees.
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    company_size = models.CharField(_("size"), max_length=8, choices=CompanySize, blank=True)
    # Repeats and spam control (keyed hashes, never the address itself); repeats of an open
    # request are counted on its ``RepeatSubmission``.
    dedup_key = models.CharField(max_length=64)
    source_hash = models.CharField(max_length=64, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # The candidate created in the association's pipeline on acceptance.
    mentee = models.ForeignKey(
        "people.Mentee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    mentor = models.ForeignKey(
        "people.Mentor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("registration")
        # Few indexes, each needed: a batch routing rewrites every index of each request it
        # moves (docs/registrations.md, "Batch routing"). The rarely set links get partial
        # indexes, which cost nothing for the rows they do not cover.
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["source_hash", "created_at"]),  # rate limit
            models.Index(fields=["dedup_key", "created_at"]),  # repeats
            models.Index(
                fields=["previous"], condition=Q(previous__isnull=False), name="registration_prev"
            ),
            models.Index(
                fields=["mentee"], condition=Q(mentee__isnull=False), name="registration_mentee"
            ),
            models.Index(
                fields=["mentor"], condition=Q(mentor__isnull=False), name="registration_mentor"
            ),
            models.Index(
                fields=["queue_owner"],
                condition=Q(queue_owner__isnull=False),
                name="registration_queue_owner",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=RegistrationState.values), name="registration_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RegistrationKind.values), name="registration_kind_valid"
            ),
            # A repeat (same person, same role) merges into the open request.
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=Q(state__in=sorted(OPEN_STATES)),
                name="registration_one_open_per_person_role",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["routed", "accepted", "contacted"])
                | Q(organisation__isnull=False),
                name="registration_routed_has_organisation",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def age(self):
        if not self.birth_year:
            return None
        return timezone.localdate(self.created_at).year - self.birth_year

    @property
    def age_band(self):
        return age_band(self.age)

    @property
    def notify_email(self):
        """Who receives the status e-mails: the referrer, or the registrant."""
        if self.kind == RegistrationKind.REFERRAL and self.referrer_email:
            return self.referrer_email
        return self.email

    @property
    def is_waiting(self):
        return self.state in {"received", "routed", "queued"}

    def waited(self, now=None):
        return (now or timezone.now()) - self.created_at


class RegistrationTransition(TransitionLog):
    subject = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="transitions")


class RoutingAttempt(models.Model):
    """One association asked to take one request; its answer and the SLA reminders."""

    # Their lookups use the unique (registration, organisation) and the (organisation, outcome,
    # routed_at) indexes below: no single-column index of their own.
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attempts", db_index=False
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="routing_attempts",
        db_index=False,
    )
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    reason = models.CharField(_("why this association"), max_length=500, blank=True)
    score = models.FloatField(default=0)
    routed_at = models.DateTimeField(default=timezone.now, db_index=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    outcome = models.CharField(
        _("answer"), max_length=10, choices=AttemptOutcome, default=AttemptOutcome.PENDING
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    decline_reason = models.CharField(_("reason"), max_length=16, choices=DeclineReason, blank=True)
    decline_note = models.CharField(_("details"), max_length=300, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    objects = RoutingAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["routed_at", "id"]
        verbose_name = _("routing attempt")
        indexes = [
            models.Index(fields=["organisation", "outcome", "routed_at"]),
            models.Index(
                fields=["routed_by"], condition=Q(routed_by__isnull=False), name="attempt_routed_by"
            ),
            models.Index(
                fields=["answered_by"],
                condition=Q(answered_by__isnull=False),
                name="attempt_answered_by",
            ),
        ]
        constraints = [
            # Routing twice never creates two live requests; an association is asked once.
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(outcome="pending"),
                name="attempt_one_pending_per_registration",
            ),
            # An association that declined or holds the request is never asked again; one
            # that did not answer in time may be asked again by the queue's owner.
            models.UniqueConstraint(
                fields=["registration", "organisation"],
                condition=Q(outcome__in=["pending", "accepted", "declined"]),
                name="attempt_once_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=AttemptOutcome.values), name="attempt_outcome_valid"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="declined") | ~Q(decline_reason=""),
                name="attempt_decline_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.registration_id} → {self.organisation_id} ({self.outcome})"

    def due_at(self, days):
        return self.routed_at + datetime.timedelta(days=days)


class RoutingAttemptTransition(TransitionLog):
    """One change of an attempt's answer (``outcome``: ``enums.ATTEMPT_TRANSITIONS``)."""

    subject = models.ForeignKey(
        RoutingAttempt, on_delete=models.CASCADE, related_name="transitions"
    )

    @property
    def to_label(self):
        return AttemptOutcome(self.to_state).label if self.to_state else ""


class RegistrationConsent(models.Model):
    """One agreement given on the public form: what, by whom (and who stated it, e.g. a
    professional for the young person), when, and the text and version shown. On acceptance
    the records are linked to the mentee created in the association's pipeline."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="consents", db_index=False
    )
    mentee = models.ForeignKey(
        "people.Mentee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registration_consents",
    )
    kind = models.CharField(_("agreement"), max_length=16, choices=ConsentKind)
    given_by = models.CharField(_("given by"), max_length=16, choices=ConsentParty)
    stated_by = models.CharField(_("stated by"), max_length=16, choices=ConsentParty)
    at = models.DateTimeField(_("at"), default=timezone.now)
    version = models.CharField(_("text version"), max_length=20)
    text = models.TextField(_("text shown"), blank=True)

    class Meta:
        ordering = ["registration", "id"]
        verbose_name = _("registration consent")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"], name="registration_consent_once_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ConsentKind.values), name="registration_consent_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.registration_id}: {self.kind}"


class RepeatSubmission(models.Model):
    """The same person and role sent the public form again while their request is open.

    Nothing of the request changes from such an anonymous submission (anyone who knows an
    e-mail address can send one): the status link is e-mailed to the address on file, and
    the new answers wait here until the owner, from that link, applies or ignores them.
    Also counts the repeats of the day (the e-mail limit)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="repeat"
    )
    # Only the answers that differ from the request, as the form cleaned them; emptied when
    # applied or ignored, and when the request is taken in charge, withdrawn or closed.
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("repeated registration")

    def __str__(self):
        return f"{self.registration_id}: {self.count}"
