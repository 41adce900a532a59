"""States, transitions and controlled vocabularies of public registrations."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binome.core.statemachine import guard


class RegistrationKind(models.TextChoices):
    YOUNG = "young", _("Looking for a mentor")
    MENTOR = "mentor", _("Wants to become a mentor")
    REFERRAL = "referral", _("Registered by a parent or a professional")
    COMPANY = "company", _("Company engaging its employees")


# Which side of the programmes a kind of registration is routed to.
KIND_SIDE = {
    RegistrationKind.YOUNG: "mentee",
    RegistrationKind.REFERRAL: "mentee",
    RegistrationKind.MENTOR: "mentor",
    RegistrationKind.COMPANY: "mentor",
}


class RegistrationState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ROUTED = "routed", _("Sent to an association")
    QUEUED = "queued", _("Handled by the federation team")
    ACCEPTED = "accepted", _("Taken in charge")
    CONTACTED = "contacted", _("First contact made")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


# States in which a registration is still open (a repeat submission merges into it).
OPEN_STATES = frozenset(
    {
        RegistrationState.RECEIVED,
        RegistrationState.ROUTED,
        RegistrationState.QUEUED,
        RegistrationState.ACCEPTED,
    }
)
# States waiting for an association to take the request in charge (the SLA backlog).
WAITING_STATES = frozenset(
    {RegistrationState.RECEIVED, RegistrationState.ROUTED, RegistrationState.QUEUED}
)
# The registrant may still correct their data (identity not yet handed to anybody).
CORRECTABLE_STATES = WAITING_STATES

REGISTRATION_TRANSITIONS = {
    RegistrationState.RECEIVED: {
        RegistrationState.ROUTED,
        RegistrationState.QUEUED,
        RegistrationState.WITHDRAWN,
    },
    # Declined or timed out: back to "received", then routed again at once.
    RegistrationState.ROUTED: {
        RegistrationState.ACCEPTED,
        RegistrationState.RECEIVED,
        RegistrationState.WITHDRAWN,
    },
    RegistrationState.QUEUED: {
        RegistrationState.ROUTED,
        RegistrationState.CLOSED,
        RegistrationState.WITHDRAWN,
    },
    RegistrationState.ACCEPTED: {RegistrationState.CONTACTED, RegistrationState.WITHDRAWN},
    RegistrationState.CONTACTED: {RegistrationState.WITHDRAWN},
    RegistrationState.WITHDRAWN: set(),
    RegistrationState.CLOSED: set(),
}


class AttemptOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    TIMED_OUT = "timed_out", _("No answer in time")
    CANCELLED = "cancelled", _("Withdrawn by the registrant")


# An attempt is answered once: accepted, declined (with a reason), timed out, or cancelled when
# the registrant withdraws. Every change goes through ``apply_transition`` (field ``outcome``).
ATTEMPT_TRANSITIONS = {
    AttemptOutcome.PENDING: {
        AttemptOutcome.ACCEPTED,
        AttemptOutcome.DECLINED,
        AttemptOutcome.TIMED_OUT,
        AttemptOutcome.CANCELLED,
    },
    AttemptOutcome.ACCEPTED: set(),
    AttemptOutcome.DECLINED: set(),
    AttemptOutcome.TIMED_OUT: set(),
    AttemptOutcome.CANCELLED: set(),
}


class DeclineReason(models.TextChoices):
    OUT_OF_AREA = "out_of_area", _("Outside our area")
    FULL = "full", _("No place left")
    NOT_OUR_PUBLIC = "not_our_public", _("Not our public")
    NOT_OUR_KIND = "not_our_kind", _("We do not offer this kind of mentoring")
    OTHER = "other", _("Other")


class SupportPurpose(models.TextChoices):
    """Why federation staff open a registrant's identity (REQ-FED-04); logged each time."""

    HELP_REQUESTED = "help_requested", _("The registrant asked the federation for help")
    QUEUE_HANDLING = "queue_handling", _("Handling the request in the federation's queue")
    REGISTRANT_REQUEST = (
        "registrant_request",
        _("A correction or data-protection request from the registrant"),
    )
    OTHER = "other", _("Other")


class PriorityPublic(models.TextChoices):
    ASE = "ase", _("Child welfare (ASE)")
    DISABILITY = "disability", _("Disability")
    QPV = "qpv", _("Priority neighbourhood (QPV)")
    RURAL = "rural", _("Rural area")


class ConsentKind(models.TextChoices):
    PROCESSING = "processing", _("Use of the answers to handle the request")
    YOUNG_PERSON = "young_person", _("The young person agrees to be registered")
    GUARDIAN = "guardian", _("A parent or guardian agrees (minor)")


class ConsentParty(models.TextChoices):
    REGISTRANT = "registrant", _("The person who registered")
    REFERRER = "referrer", _("The parent or professional who registered them")
    YOUNG_PERSON = "young_person", _("The young person")
    GUARDIAN = "guardian", _("A parent or guardian")


# The wording of the agreements on the public forms (the forms' labels). Change the version
# whenever a text changes: each consent record keeps the version and the text it was given on.
CONSENT_TEXT_VERSION = "2026-11"
CONSENT_TEXTS = {
    "processing": _(
        "I agree that my answers are used to send my request to a mentoring association. "
        "They are kept only for this."
    ),
    "young_person": _("The young person knows about this registration and agrees to it."),
    "guardian_self": _("If you are under 18: a parent or guardian agrees to this registration."),
    "guardian_referral": _("If they are under 18: a parent or guardian agrees."),
    "guardian_parent": _("Registered by their parent or guardian, who agrees."),
}


class ReferrerRole(models.TextChoices):
    PARENT = "parent", _("Parent or guardian")
    PRESCRIBER = "prescriber", _("Professional (local mission, job centre, school, social worker)")
    OTHER = "other", _("Other")


class CompanySize(models.TextChoices):
    SMALL = "small", _("Fewer than 50 employees")
    MEDIUM = "medium", _("50 to 249 employees")
    LARGE = "large", _("250 to 4,999 employees")
    HUGE = "huge", _("5,000 employees or more")


# Coarse bands for the semi-anonymised card (never the birth year); every age falls in one.
AGE_BANDS = ((15, 17), (18, 20), (21, 25), (26, 30), (31, 44), (45, 59))
YOUNGEST_BAND, OLDEST_BAND = 15, 60


def age_band(age):
    """The card's age band of an age in years ("" when unknown), in the active language."""
    if age is None:
        return ""
    if age < YOUNGEST_BAND:
        return gettext("under %(n)s") % {"n": YOUNGEST_BAND}
    if age >= OLDEST_BAND:
        return gettext("%(n)s and over") % {"n": OLDEST_BAND}
    low, high = next(band for band in AGE_BANDS if band[0] <= age <= band[1])
    return gettext("%(low)s–%(high)s years") % {"low": low, "high": high}


# Guards of ``ATTEMPT_TRANSITIONS`` (``core.statemachine``): a decline gives a reason of the list.
ATTEMPT_GUARDS = {
    AttemptOutcome.DECLINED: (
        guard(
            lambda a, r: a.decline_reason in DeclineReason.values,
            _("Choose a reason."),
            "reason_required",
        ),
    ),
}
