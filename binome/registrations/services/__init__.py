"""Use cases of public registrations: intake, routing, answers, the registrant's own actions.

Every state change goes through ``_transition`` (``core.statemachine.apply_transition``)
under a row lock; e-mails are queued in the outbox in the same transaction.

One module per use case; the public functions are re-exported here, so callers write
``services.accept(...)``:

- ``tokens``: the status link (signed tokens, site URLs);
- ``keys``: dedup key, source hash, per-address rate limit;
- ``deadlines``: days to answer, reminder days;
- ``transitions``: the state machine steps (requests, their attempts, a batch of requests)
  and the row lock;
- ``emails``: e-mails to the registrant and to associations;
- ``intake``: a public registration, and the form sent again (repeats);
- ``specs``: rows → the solver's input (``routing.OfferSpec``, ``RequestSpec``), the reason;
- ``route``: routing one request, the queue and its owner;
- ``answers``: the association's answer, the queue owner closing a request;
- ``registrant``: the registrant's own actions from the status link;
- ``support``: identity access (association view, federation support);
- ``reminders``: reminders and timeouts;
- ``batch``, ``batch_reads``, ``batch_writes``: routing every received request at once.
"""

from binome.registrations.services.answers import (
    accept,
    close_from_queue,
    decline,
    record_first_contact,
    time_out,
)
from binome.registrations.services.batch import BatchReport, route_pending_batch
from binome.registrations.services.batch_reads import WAITING_FIELDS
from binome.registrations.services.batch_writes import STATUS_URL_MARK
from binome.registrations.services.deadlines import answer_days, reminder_days

# ``_name as _name``: private helpers re-exported for tests that call ``services._name``.
from binome.registrations.services.emails import _association_context as _association_context
from binome.registrations.services.emails import _registrant_context as _registrant_context
from binome.registrations.services.intake import (
    INTAKE_FIELDS,
    REPEAT_FIELDS,
    pending_answers,
    repeat_limit,
    submit_registration,
)
from binome.registrations.services.keys import dedup_key, is_rate_limited, source_hash
from binome.registrations.services.registrant import apply_repeat, correct, ignore_repeat, withdraw
from binome.registrations.services.reminders import send_reminders
from binome.registrations.services.route import (
    ASKED_FOR_GOOD,
    QUEUED_FIELDS,
    TERRITORY_PRECISION,
    QueueOwners,
    owns_queue_of,
    queue_targets,
    route_pending,
    route_registration,
    route_to,
    routing_root,
)
from binome.registrations.services.specs import (
    candidate_offers,
    describe_choice,
    offer_spec,
    place_point,
    request_spec,
)
from binome.registrations.services.support import (
    SUPPORT_NOTE_MAX,
    SUPPORT_VERB,
    log_identity_view,
    reveal_for_support,
)
from binome.registrations.services.tokens import (
    TOKEN_SALT,
    StatusLinkError,
    registration_for_link,
    registration_from_token,
    status_token,
    status_url,
)
from binome.registrations.services.tokens import _status_token_maker as _status_token_maker
from binome.registrations.services.transitions import LABELS

__all__ = [
    "TOKEN_SALT",
    "status_token",
    "StatusLinkError",
    "registration_for_link",
    "registration_from_token",
    "status_url",
    "answer_days",
    "reminder_days",
    "dedup_key",
    "source_hash",
    "is_rate_limited",
    "LABELS",
    "INTAKE_FIELDS",
    "submit_registration",
    "REPEAT_FIELDS",
    "repeat_limit",
    "pending_answers",
    "candidate_offers",
    "offer_spec",
    "place_point",
    "request_spec",
    "describe_choice",
    "routing_root",
    "route_registration",
    "QUEUED_FIELDS",
    "TERRITORY_PRECISION",
    "QueueOwners",
    "route_pending",
    "owns_queue_of",
    "queue_targets",
    "ASKED_FOR_GOOD",
    "route_to",
    "accept",
    "decline",
    "time_out",
    "record_first_contact",
    "close_from_queue",
    "apply_repeat",
    "ignore_repeat",
    "withdraw",
    "correct",
    "log_identity_view",
    "SUPPORT_VERB",
    "SUPPORT_NOTE_MAX",
    "reveal_for_support",
    "send_reminders",
    "BatchReport",
    "route_pending_batch",
    "WAITING_FIELDS",
    "STATUS_URL_MARK",
]
