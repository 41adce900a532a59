"""Demo of matching runs (``binome.matching.services``): on Cap Emploi Métropole, a run
published five days ago whose mentors accepted, declined or have not answered yet (those got
the reminder), and this morning's run on whoever is still waiting, ready for review; on
Tremplin, a run started while the worker was stopped (stuck, to start again).

The run is a background task in the app; the demo computes it at once (``run_matching``, as
the task does), then moves what each step wrote back to its moment (``Clock``).
"""

import datetime
import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Q

from binome.demo.clock import Clock
from binome.demo.data_people import DECLINE_NOTES
from binome.matching import services as matching
from binome.matching.adapter import settings_for
from binome.matching.enums import RunState
from binome.matching.models import (
    MatchExclusion,
    MatchingRun,
    MatchingRunTransition,
    MentorOffer,
    RunProposal,
)
from binome.pairs.enums import DeclineReason, PairState
from binome.pairs.models import Pair, PairTransition
from binome.people.models import Mentee, MenteeTransition, Mentor, MentorTransition
from binome.programmes.models import Programme

ORGANISATION, PROGRAMME = "passerelles", "Cap Emploi Métropole"
COORDINATOR = "coordination@passerelles.demo"
STUCK_PROGRAMME, STUCK_BY = "Tremplin Jeunes Bruxelles-Tournai", "bruxelles@passerelles.demo"
PUBLISHED_DAY = -5
ACCEPTED_SHARE, DECLINED_SHARE = 0.45, 0.2
DECLINES = {
    DeclineReason.AVAILABILITY: 3,
    DeclineReason.DISTANCE: 2,
    DeclineReason.PROFILE: 2,
    DeclineReason.PERSONAL: 1,
}


def build(base):
    MatchingDemo(base).build()


def runs_of(slugs):
    return MatchingRun.objects.filter(programme__organisation__slug__in=slugs)


def summary(write, slugs):
    runs = (
        runs_of(slugs)
        .select_related("programme")
        .annotate(proposals_n=Count("proposals", filter=Q(proposals__removed=False), distinct=True))
        .order_by("created_at", "id")
    )
    write(f"Matching runs ({len(runs)}):")
    for run in runs:
        line = f"  #{run.pk} {run.programme.name}: {run.state}, proposals {run.proposals_n}"
        if run.state == RunState.PUBLISHED:
            states = Counter(Pair.objects.filter(offer__run=run).values_list("state", flat=True))
            answered = MentorOffer.objects.filter(run=run, answered_at__isnull=False).count()
            waiting = MentorOffer.objects.filter(run=run, answered_at__isnull=True).count()
            line += (
                f"; answered {answered} (accepted {states.get(PairState.MENTOR_ACCEPTED, 0)}, "
                f"declined {states.get(PairState.MENTOR_DECLINED, 0)}), unanswered {waiting}"
            )
        write(line)
    waiting = MentorOffer.objects.waiting().filter(run__in=runs).order_by("pk").first()
    if waiting is not None:
        write(f"  a mentor's proposal link (unanswered): {matching.offer_link(waiting)}")


class MatchingDemo:
    def __init__(self, base):
        self.base = base
        self.rng = random.Random(base.rng.random())
        self.clock = Clock(latest=base.now - datetime.timedelta(minutes=1))

    def build(self):
        base, clock = self.base, self.clock
        self.programme = Programme.objects.get(organisation__slug=ORGANISATION, name=PROGRAMME)
        self.user = get_user_model().objects.get(email=COORDINATOR)
        reply = datetime.timedelta(days=settings_for(self.programme).reply_days)

        published = self._run(base.at(PUBLISHED_DAY - 1, 16, 30))
        chosen = list(published.proposals.chosen().order_by("score", "id"))
        if len(chosen) < 3:
            raise CommandError(f"The demo matching run proposes only {len(chosen)} pairs.")
        if len(chosen) >= 6:  # the staff take the weakest pair out before publishing
            clock.at(base.at(PUBLISHED_DAY, 9, 40))
            matching.remove_proposal(chosen[0], acting_user=self.user)
        moment = base.at(PUBLISHED_DAY, 10, 15)
        clock.at(moment)
        matching.publish_run(published, acting_user=self.user)
        clock.apply(MentorOffer, mails=False)  # reminders count from the sending time
        self._answers(published, moment, reply)
        remind = moment + reply + datetime.timedelta(hours=1)
        if remind < clock.latest:
            clock.at(remind)
            matching.remind_unanswered(now=remind)

        review = self._run(base.now - datetime.timedelta(hours=2))
        # Started while the worker was stopped: never computed, shown as stuck to start again.
        clock.at(base.now - datetime.timedelta(hours=3))
        stuck = Programme.objects.get(organisation__slug=ORGANISATION, name=STUCK_PROGRAMME)
        stuck = matching.start_run(stuck, acting_user=get_user_model().objects.get(email=STUCK_BY))
        # Its task went to the demo's dummy backend (set on commit), whose id means nothing
        # to the app's own backend: forget it, as for a task that is gone.
        transaction.on_commit(lambda: MatchingRun.objects.filter(pk=stuck.pk).update(task_id=""))
        clock.apply(
            MatchingRun,
            MatchingRunTransition,
            RunProposal,
            Pair,
            PairTransition,
            MentorOffer,
            MatchExclusion,
            Mentor,
            MentorTransition,
            Mentee,
            MenteeTransition,
        )
        for run in (published, review):  # the engine takes a few seconds
            created = MatchingRun.objects.values_list("created_at", flat=True).get(pk=run.pk)
            MatchingRun.objects.filter(pk=run.pk).update(
                started_at=created + datetime.timedelta(seconds=2),
                finished_at=created + datetime.timedelta(seconds=9),
            )

    def _run(self, moment):
        self.clock.at(moment)
        run = matching.start_run(self.programme, acting_user=self.user)
        matching.run_matching(run.pk)
        run.refresh_from_db()
        if run.state != RunState.DONE:
            raise CommandError(f"The demo matching run failed: {run.error}")
        return run

    def _answers(self, run, published, reply):
        """Mentors answer through their link within the reply delay; the rest wait."""
        rng = self.rng
        offers = list(MentorOffer.objects.filter(run=run).order_by("pk"))
        rng.shuffle(offers)
        n = len(offers)
        accepted = max(1, round(ACCEPTED_SHARE * n))
        declined = max(1, round(DECLINED_SHARE * n))
        answers = [(o, True) for o in offers[:accepted]]
        answers += [(o, False) for o in offers[accepted : accepted + declined]]
        span = reply.total_seconds() * 0.95
        moments = sorted(
            published + datetime.timedelta(seconds=rng.uniform(1800, span)) for _ in answers
        )
        for (offer, accept), moment in zip(answers, moments, strict=True):
            self.clock.at(moment)
            if accept:
                matching.mentor_reply(offer, accept=True)
            else:
                reason = rng.choices(list(DECLINES), weights=list(DECLINES.values()))[0]
                matching.mentor_reply(
                    offer, accept=False, reason=reason, note=DECLINE_NOTES[reason]
                )
