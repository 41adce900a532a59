"""Use cases of the recruitment and selection pipeline (mentors and mentees)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.services import log_activity
from binome.core.statemachine import InvalidTransition, apply_transition
from binome.people.enums import (
    FORM_ONLY_STATES,
    MENTEE_GUARDS,
    MENTEE_TRANSITIONS,
    MENTOR_GUARDS,
    MENTOR_TRANSITIONS,
    PAIR_DRIVEN,
    InterviewDecision,
    MenteeState,
    MentorState,
    SessionKind,
)
from binome.people.models import (
    Attendance,
    Interview,
    InterviewAnswer,
    Mentee,
    MenteeTransition,
    Mentor,
    MentorTransition,
)

WORKFLOWS = {
    Mentor: (MENTOR_TRANSITIONS, MentorState, MentorTransition),
    Mentee: (MENTEE_TRANSITIONS, MenteeState, MenteeTransition),
}
GUARDS = {Mentor: MENTOR_GUARDS, Mentee: MENTEE_GUARDS}

# What attending a session moves a person to, from which state.
SESSION_ADVANCES = {
    SessionKind.INFORMATION: (MentorState.APPLIED, MentorState.INFORMED),
    SessionKind.PRESENTATION: (MenteeState.APPLIED, MenteeState.PRESENTED),
    SessionKind.TRAINING: (MentorState.INTERVIEWED, MentorState.TRAINED),
}


def _lock(person):
    return (
        type(person)
        .objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=person.pk)
    )


def allowed_transitions(person):
    transitions, states, _log = WORKFLOWS[type(person)]
    return [states(s) for s in states.values if s in transitions[person.state]]


def manual_steps(person):
    """The steps the staff take with the generic "next step" form: neither the interview (its
    own form) nor the steps the pair services take (matched, back from a pair)."""
    return [
        s
        for s in allowed_transitions(person)
        if s not in FORM_ONLY_STATES and (person.state, s) not in PAIR_DRIVEN
    ]


def create_person(model, programme, *, acting_user, **fields):
    """Register a mentor or mentee candidate in a programme (state: applied)."""
    with transaction.atomic():
        person = model(programme=programme, **fields)
        if isinstance(person, Mentee) and person.waiting_since is None:
            person.waiting_since = timezone.localdate(person.created_at)
        person.full_clean()
        person.save()
        _log_model = WORKFLOWS[model][2]
        _log_model.objects.create(
            subject=person,
            from_state="",
            to_state=person.state,
            by=acting_user if acting_user and acting_user.is_authenticated else None,
        )
        log_activity(
            person, "created", acting_user=acting_user, organisation=programme.organisation
        )
    return person


def update_person(person, *, changed, acting_user):
    """Save the staff's edits to a profile (``person`` carries the new values, ``changed`` the
    names of the fields edited) and journal which fields changed, never their values."""
    with transaction.atomic():
        _lock(person)
        person.save()
        log_activity(
            person,
            "updated",
            acting_user=acting_user,
            organisation=person.programme.organisation,
            fields=sorted(changed),
        )
    return person


def transition_person(person, to_state, *, acting_user, reason=""):
    """The one place where a candidate changes state: checks, locks, saves and logs."""
    transitions, states, log_model = WORKFLOWS[type(person)]
    with transaction.atomic():
        locked = _lock(person)
        apply_transition(
            locked,
            to_state,
            transitions=transitions,
            labels=dict(states.choices),
            guards=GUARDS[type(person)],
            log_model=log_model,
            acting_user=acting_user,
            reason=reason,
            organisation=locked.programme.organisation,
        )
    person.state, person.state_changed_at = locked.state, locked.state_changed_at
    return person


def rematch_person(person, *, acting_user, reason):
    """The staff put a former mentor or a mentee whose pair is closed back in the matching
    pool (alumni → ready), with the reason; a mentee's wait starts again today."""
    states = WORKFLOWS[type(person)][1]
    with transaction.atomic():
        if _lock(person).state != states.ALUMNI:
            raise InvalidTransition(
                _("Only a former mentor or a mentee whose pair is closed can be matched again."),
                code="not_alumni",
            )
        transition_person(person, states.READY, acting_user=acting_user, reason=reason)
        if isinstance(person, Mentee):
            person.waiting_since = timezone.localdate()
            person.save(update_fields=["waiting_since", "updated_at"])
    return person


def record_attendance(session, *, acting_user, mentors=(), mentees=(), attended=True):
    """Record who took part in a session and move them one step on where it applies."""
    people = list(mentors) + list(mentees)
    for person in people:
        if person.programme_id != session.programme_id:
            raise ValidationError(_("%(name)s is not in this programme.") % {"name": person})
        if isinstance(person, Mentor) != session.is_for_mentors:
            raise ValidationError(_("This session is not for %(name)s.") % {"name": person})
    from_state, to_state = SESSION_ADVANCES[session.kind]
    with transaction.atomic():
        for person in people:
            key = "mentor" if isinstance(person, Mentor) else "mentee"
            Attendance.objects.update_or_create(
                session=session, **{key: person}, defaults={"attended": attended}
            )
            if attended and person.state == from_state:
                transition_person(person, to_state, acting_user=acting_user, reason=str(session))
        log_activity(
            session,
            "attendance",
            acting_user=acting_user,
            organisation=session.programme.organisation,
            count=len(people),
        )
    return session


def record_interview(person, *, acting_user, held_on, decision, answers, notes=""):
    """Record an interview on the programme's grid; keeps or rejects the candidate.

    ``answers`` maps each criterion of the grid to ``(met, comment)``.
    """
    is_mentor = isinstance(person, Mentor)
    side = "mentor" if is_mentor else "mentee"
    grid = list(person.programme.criteria.filter(side=side))
    missing = [c.label for c in grid if c not in answers]
    if missing:
        raise ValidationError(
            _("Answer every criterion of the grid: %(list)s.") % {"list": ", ".join(missing)}
        )
    unmet_required = [c.label for c in grid if c.is_required and not answers[c][0]]
    if decision == InterviewDecision.KEEP and unmet_required:
        raise ValidationError(
            _("A required criterion is not met (%(list)s): the candidate cannot be kept.")
            % {"list": ", ".join(unmet_required)}
        )
    if decision == InterviewDecision.KEEP:
        to_state = MentorState.INTERVIEWED if is_mentor else MenteeState.INTERVIEWED
        reason = ""
    else:
        to_state = MentorState.REJECTED if is_mentor else MenteeState.NOT_RETAINED
        reason = notes or ", ".join(unmet_required) or _("Interview")
    with transaction.atomic():
        interview = Interview.objects.create(
            **{side: person},
            held_on=held_on,
            decision=decision,
            notes=notes,
            interviewer=acting_user,
        )
        InterviewAnswer.objects.bulk_create(
            InterviewAnswer(
                interview=interview, criterion=c, met=answers[c][0], comment=answers[c][1]
            )
            for c in grid
        )
        transition_person(person, to_state, acting_user=acting_user, reason=reason)
    return interview


def log_person_view(person, *, acting_user):
    """Journal every view of a person's detail page (GDPR access audit)."""
    return log_activity(
        person, "viewed", acting_user=acting_user, organisation=person.programme.organisation
    )
