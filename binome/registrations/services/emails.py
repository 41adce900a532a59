"""E-mails to the registrant and to associations, queued in the outbox."""

from binome.notifications.services import queue_email
from binome.organisations.enums import EDITOR_ROLES
from binome.organisations.models import Membership
from binome.registrations.services.deadlines import answer_days
from binome.registrations.services.tokens import _inbox_url, status_url


def _registrant_context(registration, url, **extra):
    return {
        "registration": registration,
        "status_url": url,
        "organisation": registration.organisation,
        "answer_days": answer_days(),
        "rerouted": False,
        "new_answers": False,
        **extra,
    }


def _email_registrant(registration, name, **extra):
    to = registration.notify_email
    if not to:
        return None
    context = _registrant_context(registration, status_url(registration), **extra)
    return queue_email(
        to=to,
        template=f"emails/registration_{name}",
        context=context,
        category=f"registration_{name}",
        organisation=registration.organisation
        or registration.queue_owner
        or registration.federation,
        language=registration.language,
    )


def _addresses_by_organisation(organisations):
    """Where association e-mails go: the association's address, else its active editors'
    (at most one query for any number of associations)."""
    found = {o.pk: [o.email] for o in organisations if o.email}
    missing = [o.pk for o in organisations if not o.email]
    if missing:
        rows = Membership.objects.filter(
            organisation_id__in=missing, is_active=True, role__in=EDITOR_ROLES
        ).values_list("organisation_id", "user__email")
        for organisation_id, email in rows:
            found.setdefault(organisation_id, []).append(email)
    return found


def _association_addresses(organisation):
    return _addresses_by_organisation([organisation]).get(organisation.pk, [])


def _association_context(attempt, registration, **extra):
    return {
        "attempt": attempt,
        "registration": registration,
        "organisation": attempt.organisation,
        "inbox_url": _inbox_url(),
        "due_on": attempt.due_at(answer_days()),
        "days_waiting": 0,
        **extra,
    }


def _email_association(attempt, name, **extra):
    organisation = attempt.organisation
    context = _association_context(attempt, attempt.registration, **extra)
    for to in _association_addresses(organisation):
        queue_email(
            to=to,
            template=f"emails/registration_{name}",
            context=context,
            category=f"registration_{name}",
            organisation=organisation,
        )
