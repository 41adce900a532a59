from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.core.models import TimeStampedModel, TransitionLog, words_query
from binome.people.enums import InterviewDecision, MenteeState, MentorState, SessionKind
from binome.people.vocab import RecruitmentChannel, Situation


class PersonQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(programme__organisation=organisation)

    def search(self, text):
        return self.filter(words_query(text, ["first_name", "last_name", "email"]))

    def ready(self):
        return self.filter(state="ready")


class MentorQuerySet(PersonQuerySet):
    def available(self):
        """Mentors who may take a mentee when they have a place left: ready, or in a pair
        (``binome.pairs.models.with_free_place`` counts the places)."""
        return self.filter(state__in=[MentorState.READY, MentorState.MATCHED])


class MenteeQuerySet(PersonQuerySet):
    def waiting_for_mentor(self):
        """Mentees waiting for a mentor: ready (in a pair is ``matched``, after it ``alumni``)."""
        return self.filter(state=MenteeState.READY)


class Person(TimeStampedModel):
    """What mentors and mentees share: identity, contact, place and matching attributes."""

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("programme"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)s_profiles",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1920), MaxValueValidator(2030)],
    )
    # A place key from binome.geo (commune or postcode), never free-typed coordinates.
    place = models.CharField(_("town or postcode"), max_length=32, blank=True)
    max_km = models.PositiveSmallIntegerField(
        _("maximum distance (km)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    remote_ok = models.BooleanField(_("remote meetings are fine"), default=False)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    functions = models.JSONField(_("job functions"), default=list, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    mother_tongue = models.CharField(_("mother tongue"), max_length=8, blank=True)
    hobbies = models.JSONField(_("hobbies"), default=list, blank=True)
    expectations = models.JSONField(_("expectations"), default=list, blank=True)
    support = models.JSONField(_("kinds of support"), default=list, blank=True)
    recruitment_channel = models.CharField(
        _("how they heard of us"), max_length=20, choices=RecruitmentChannel, blank=True
    )
    motivation = models.TextField(_("motivation"), blank=True)
    notes = models.TextField(_("staff notes"), blank=True)
    state_changed_at = models.DateTimeField(default=timezone.now)

    objects = PersonQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["last_name", "first_name", "id"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def organisation_id(self):
        return self.programme.organisation_id

    def has_live_pair(self):
        return self.pairs.live().exists()

    def attended(self, kind):
        return self.attendances.filter(session__kind=kind, attended=True).exists()


class Mentor(Person):
    state = models.CharField(
        _("state"), max_length=16, choices=MentorState, default=MentorState.APPLIED
    )
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    skills_sponsorship = models.BooleanField(
        _("mentors during working time (skills sponsorship)"), default=False
    )
    capacity = models.PositiveSmallIntegerField(
        _("mentees at the same time"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )

    objects = MentorQuerySet.as_manager()

    class Meta(Person.Meta):
        verbose_name = _("mentor")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=MentorState.values), name="mentor_state_valid"
            ),
            models.CheckConstraint(condition=Q(capacity__lte=10), name="mentor_capacity_max"),
        ]

    def places_left(self):
        """Free places: the smaller of the mentor's own capacity and the programme's limit,
        minus live pairs (the SQL twin is ``binome.pairs.models.with_free_place``)."""
        limit = min(self.capacity, self.programme.max_mentees_per_mentor)
        return limit - self.pairs.live().count()

    def has_completed_training(self):
        return self.attended(SessionKind.TRAINING)

    def has_mentored(self):
        return self.pairs.closed().exists()


class Mentee(Person):
    state = models.CharField(
        _("state"), max_length=16, choices=MenteeState, default=MenteeState.APPLIED
    )
    situation = models.CharField(_("situation"), max_length=20, choices=Situation, blank=True)
    referred_by = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referred_mentees",
        verbose_name=_("referring partner"),
    )
    referrer_name = models.CharField(_("referring professional"), max_length=200, blank=True)
    waiting_since = models.DateField(_("waiting since"), null=True, blank=True)

    objects = MenteeQuerySet.as_manager()

    class Meta(Person.Meta):
        verbose_name = _("mentee")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=MenteeState.values), name="mentee_state_valid"
            ),
        ]


class MentorTransition(TransitionLog):
    subject = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="transitions")


class MenteeTransition(TransitionLog):
    subject = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="transitions")


class SessionQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(programme__organisation=organisation)

    def search(self, text):
        return self.filter(location__icontains=text)


class Session(TimeStampedModel):
    """A collective event of the pipeline: information, presentation or training."""

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    location = models.CharField(_("place or video link"), max_length=300, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "id"]
        verbose_name = _("session")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="session_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    @property
    def is_for_mentors(self):
        return self.kind in {SessionKind.INFORMATION, SessionKind.TRAINING}


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    mentor = models.ForeignKey(
        Mentor, null=True, blank=True, on_delete=models.CASCADE, related_name="attendances"
    )
    mentee = models.ForeignKey(
        Mentee, null=True, blank=True, on_delete=models.CASCADE, related_name="attendances"
    )
    attended = models.BooleanField(_("attended"), default=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(mentor__isnull=False) & Q(mentee__isnull=True))
                | (Q(mentor__isnull=True) & Q(mentee__isnull=False)),
                name="attendance_one_person",
            ),
            models.UniqueConstraint(fields=["session", "mentor"], name="attendance_mentor_once"),
            models.UniqueConstraint(fields=["session", "mentee"], name="attendance_mentee_once"),
        ]

    def __str__(self):
        return f"{self.session} — {self.mentor or self.mentee}"


class Interview(TimeStampedModel):
    """An individual interview (mentor preparation or mentee selection) on the grid."""

    mentor = models.ForeignKey(
        Mentor, null=True, blank=True, on_delete=models.CASCADE, related_name="interviews"
    )
    mentee = models.ForeignKey(
        Mentee, null=True, blank=True, on_delete=models.CASCADE, related_name="interviews"
    )
    held_on = models.DateField(_("held on"))
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("interviewer"),
    )
    decision = models.CharField(_("decision"), max_length=8, choices=InterviewDecision)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(mentor__isnull=False) & Q(mentee__isnull=True))
                | (Q(mentor__isnull=True) & Q(mentee__isnull=False)),
                name="interview_one_person",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=InterviewDecision.values), name="interview_decision_valid"
            ),
        ]


class InterviewAnswer(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(
        "programmes.InterviewCriterion", on_delete=models.PROTECT, related_name="answers"
    )
    met = models.BooleanField(_("met"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "criterion"], name="answer_once"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.met}"
