"""Use cases of matching in the app: run, review by hand, publish, the mentor's answer,
reminders. The engine (``binome.matching.engine``) computes; these modules store and act.

One module per use case; the public functions are re-exported here, so callers write
``services.start_run(...)``:

- ``runs``: start a run, compute it (the task), failures, stuck runs, retry;
- ``reading``: a finished run's problem parsed once, places, totals, explanations;
- ``review``: editing a run by hand (choose, remove, swap), each checked by the engine;
- ``publish``: the chosen pairs become proposed pairs, each mentor gets an offer;
- ``offers``: the mentor's signed link and its e-mail, the mentor's answer, reminders;
- ``suggestions``: outside a run, the best mentors for one mentee, exclusions;
- ``stored``: those suggestions computed by tasks and stored, read by the pages;
- ``programme_settings``: a programme's matching settings saved by the staff.
"""

# The engine module, for tests that replace one of its functions (``services.engine.solve``).
from binome.matching import engine as engine
from binome.matching.services.offers import (
    OFFER_SALT,
    OfferLinkError,
    mentor_reply,
    offer_from_link,
    offer_link,
    remind_unanswered,
    send_offer,
)
from binome.matching.services.programme_settings import save_settings
from binome.matching.services.publish import publish_run
from binome.matching.services.reading import (
    explain_in_run,
    prepared_problem,
    run_capacity,
    run_totals,
    store_explanation,
    stored_explanation,
    suggestions_from,
    suggestions_in_run,
    taken_places,
    unmatched_reasons,
    unused_mentors,
)
from binome.matching.services.review import choose_mentor, remove_proposal, swap_mentors

# ``_name as _name``: private helpers re-exported for tests that call ``services._name``.
from binome.matching.services.runs import _transition as _transition
from binome.matching.services.runs import (
    retry_run,
    run_matching,
    stale_after,
    stale_runs,
    start_run,
)
from binome.matching.services.stored import (
    declined_with_next_best,
    mentee_suggestions,
    record_change,
    refresh_mentee,
    refresh_next_best,
    request_refresh,
)
from binome.matching.services.suggestions import (
    NEXT_BEST_COUNT,
    SUGGESTION_COUNT,
    add_exclusion,
    explain_mentee,
    next_best,
    propose_suggestion,
    record_suggestions_viewed,
)

__all__ = [
    "NEXT_BEST_COUNT",
    "SUGGESTION_COUNT",
    "OFFER_SALT",
    "OfferLinkError",
    "add_exclusion",
    "choose_mentor",
    "declined_with_next_best",
    "explain_in_run",
    "explain_mentee",
    "mentee_suggestions",
    "mentor_reply",
    "next_best",
    "offer_from_link",
    "offer_link",
    "prepared_problem",
    "propose_suggestion",
    "publish_run",
    "record_change",
    "record_suggestions_viewed",
    "refresh_mentee",
    "refresh_next_best",
    "remind_unanswered",
    "remove_proposal",
    "request_refresh",
    "retry_run",
    "run_capacity",
    "run_matching",
    "run_totals",
    "save_settings",
    "send_offer",
    "stale_after",
    "stale_runs",
    "start_run",
    "store_explanation",
    "stored_explanation",
    "suggestions_from",
    "suggestions_in_run",
    "swap_mentors",
    "taken_places",
    "unmatched_reasons",
    "unused_mentors",
]
