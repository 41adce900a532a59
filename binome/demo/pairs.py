"""The demo's pairs: planned in every state, then replayed through ``binome.pairs.services``
(``PairsBuilder``, a part of the ``DemoBuilder``)."""

import datetime
import math
from dataclasses import dataclass, field

from django.utils import timezone

from binome.demo.data import ES, MS, PS
from binome.demo.data_people import CANCEL_REASONS, DECLINE_NOTES, HOBBY_FR, LANGUAGE_FR, SECTOR_FR
from binome.demo.people import PersonPlan
from binome.pairs import services as pair_services
from binome.pairs.enums import (
    LIVE_STATES,
    ClosureType,
    DeclineReason,
    ExitReason,
    FirstMeetingItem,
    Outcome,
    Signatory,
)
from binome.pairs.models import Pair
from binome.people.services import transition_person

INF = math.inf
PAIR_CHAIN = [
    PS.PROPOSED,
    PS.MENTOR_ACCEPTED,
    PS.MENTEE_ACCEPTED,
    PS.FIRST_MEETING,
    PS.CONTRACT_SIGNED,
    PS.ACTIVE,
]
PAIR_GAPS = {
    PS.MENTOR_ACCEPTED: (1, 4),
    PS.MENTEE_ACCEPTED: (1, 5),
    PS.FIRST_MEETING: (5, 14),
    PS.CONTRACT_SIGNED: (2, 10),
    PS.ACTIVE: (0, 7),
}
# Days ago the pair was proposed, by final state (active and closed: see _pair_plan).
PROPOSED_AGO = {
    PS.PROPOSED: (1, 10),
    PS.MENTOR_ACCEPTED: (5, 16),
    PS.MENTEE_ACCEPTED: (9, 24),
    PS.FIRST_MEETING: (20, 40),
    PS.CONTRACT_SIGNED: (28, 50),
    PS.MENTOR_DECLINED: (3, 280),
    PS.MENTEE_DECLINED: (8, 280),
    PS.CANCELLED: (8, 250),
}
UNPLANNED_EXITS = {
    ExitReason.MENTEE_WITHDREW: 3,
    ExitReason.LOST_CONTACT: 3,
    ExitReason.MENTOR_WITHDREW: 2,
    ExitReason.MOVED: 2,
    ExitReason.INCOMPATIBILITY: 2,
    ExitReason.RULES: 1,
    ExitReason.OTHER: 1,
}
OUTCOMES = {
    ExitReason.TERM_REACHED: {
        Outcome.PERMANENT_JOB: 3,
        Outcome.SHORT_JOB: 2,
        Outcome.SUBSIDISED_JOB: 1,
        Outcome.TRAINING: 2,
        Outcome.APPRENTICESHIP: 1,
        Outcome.JOB_SEEKER: 3,
    },
    ExitReason.GOAL_ACHIEVED: {
        Outcome.PERMANENT_JOB: 4,
        Outcome.SHORT_JOB: 1,
        Outcome.BUSINESS: 1,
        Outcome.TRAINING: 1,
        Outcome.STUDIES: 1,
        Outcome.APPRENTICESHIP: 1,
        Outcome.INTERNSHIP: 1,
    },
    ExitReason.MENTEE_WITHDREW: {
        Outcome.SHORT_JOB: 1,
        Outcome.JOB_SEEKER: 2,
        Outcome.INACTIVE: 1,
        Outcome.UNKNOWN: 1,
    },
    ExitReason.MENTOR_WITHDREW: {Outcome.JOB_SEEKER: 1},
    ExitReason.LOST_CONTACT: {Outcome.UNKNOWN: 1},
    ExitReason.MOVED: {Outcome.UNKNOWN: 1, Outcome.JOB_SEEKER: 1},
    ExitReason.INCOMPATIBILITY: {Outcome.JOB_SEEKER: 1},
    ExitReason.RULES: {Outcome.JOB_SEEKER: 1, Outcome.UNKNOWN: 1},
    ExitReason.OTHER: {Outcome.TRAINING: 1},
}
CLOSE_NOTES = {
    ExitReason.TERM_REACHED: "Rencontre de clôture tenue ; plan d'action repris par le mentoré.",
    ExitReason.GOAL_ACHIEVED: "Objectif atteint avant le terme ; rencontre de clôture tenue.",
    ExitReason.INCOMPATIBILITY: "Rythme et attentes trop différents malgré une médiation.",
    ExitReason.RULES: "Rendez-vous manqués à plusieurs reprises sans prévenir.",
    ExitReason.OTHER: "Entrée en formation qualifiante à temps plein : le rythme des rencontres "
    "n'était plus tenable.",
}
AFTER_CLOSURE = {  # who leaves the programme after such a closure, and why
    ExitReason.MENTEE_WITHDREW: ("mentee", "S'est retiré·e du programme pendant le mentorat."),
    ExitReason.MOVED: ("mentee", "Déménagement hors du territoire du programme."),
    ExitReason.MENTOR_WITHDREW: ("mentor", "S'est retiré·e en cours de mentorat (nouveau poste)."),
}
REUSABLE_PAIR_STATES = {PS.MENTOR_DECLINED, PS.MENTEE_DECLINED, PS.CANCELLED}


@dataclass(eq=False)
class PairPlan:
    state: str
    path: list  # [(state, day)], day relative to today
    extra: dict
    mentor: PersonPlan | None = None
    mentee: PersonPlan | None = None
    times: dict = field(default_factory=dict)
    obj: Pair | None = None

    @property
    def start(self):
        return self.path[0][1]

    @property
    def end(self):
        return INF if self.state in LIVE_STATES else self.path[-1][1]


class PairsBuilder:
    """The pairs of one programme, and who leaves after (see ``builder.DemoBuilder``)."""

    # -- pairs ----------------------------------------------------------------------------

    def _pair_plan(self, state):
        """The dated path of one pair ending in ``state`` (people are assigned later)."""
        rng, r = self.rng, self.rng.randint
        extra = {}
        upto = state
        if state == PS.ACTIVE:
            # Every third active pair is close to its planned end.
            self.actives += 1
            ago = r(175, 205) if self.actives % 3 == 1 else r(45, 150)
        elif state == PS.CLOSED:
            upto, x = PS.ACTIVE, rng.random()
            if x < 0.4:
                extra.update(exit=ExitReason.TERM_REACHED, closure=ClosureType.PLANNED)
                ago = r(230, 275)
            elif x < 0.55:
                extra.update(exit=ExitReason.GOAL_ACHIEVED, closure=ClosureType.PLANNED)
                ago = r(120, 250)
            else:
                extra.update(exit=self.weighted(UNPLANNED_EXITS), closure=ClosureType.UNPLANNED)
                ago = r(60, 250)
            extra["outcome"] = self.weighted(OUTCOMES[extra["exit"]])
        else:
            ago = r(*PROPOSED_AGO[state])
            if state == PS.MENTOR_DECLINED:
                upto = PS.PROPOSED
            elif state == PS.MENTEE_DECLINED:
                upto = PS.MENTOR_ACCEPTED
            elif state == PS.CANCELLED:
                upto = rng.choice(PAIR_CHAIN[:4])
        path, day = [(PS.PROPOSED, -ago)], -ago
        for step in PAIR_CHAIN[1 : PAIR_CHAIN.index(upto) + 1]:
            day = min(day + r(*PAIR_GAPS[step]), -1)
            path.append((step, day))
        if state in (PS.MENTOR_DECLINED, PS.MENTEE_DECLINED):
            extra["decline"] = self.weighted(
                {
                    DeclineReason.AVAILABILITY: 4,
                    DeclineReason.DISTANCE: 2,
                    DeclineReason.PROFILE: 2,
                    DeclineReason.EXPECTATIONS: 2,
                    DeclineReason.PERSONAL: 1,
                    DeclineReason.OTHER: 1,
                }
            )
            path.append((state, min(day + r(1, 5), -1)))
        elif state == PS.CANCELLED:
            extra["cancel"] = rng.choice(CANCEL_REASONS)
            path.append((state, min(day + r(2, 10), -1)))
        elif state == PS.CLOSED:
            start = day
            if extra["exit"] == ExitReason.TERM_REACHED:
                ended = start + 182 + r(-4, 8)
            elif extra["exit"] == ExitReason.GOAL_ACHIEVED:
                ended = start + r(60, min(170, -1 - start))
            else:
                ended = start + r(15, max(15, min(150, -1 - start)))
            path.append((state, min(ended, -1)))
        if PS.FIRST_MEETING in dict(path):
            extra["checklist"] = sorted(rng.sample(list(FirstMeetingItem.values), r(4, 6)))
        plan = PairPlan(state=state, path=path, extra=extra)
        moment = None
        for step, step_day in path:
            candidate = self.at(step_day)
            if moment is not None and candidate <= moment:
                candidate = moment + datetime.timedelta(minutes=r(30, 120))
            plan.times[step] = moment = min(candidate, self.now - datetime.timedelta(minutes=5))
        signers = list(Signatory.values)
        rng.shuffle(signers)
        if PS.CONTRACT_SIGNED in plan.times:
            met, signed = plan.times[PS.FIRST_MEETING], plan.times[PS.CONTRACT_SIGNED]
            earlier = [self._between(met, signed) for _ in range(2)]
            extra["signatures"] = list(zip(signers, [*sorted(earlier), signed], strict=True))
        elif state == PS.FIRST_MEETING and rng.random() < 0.6:
            met = plan.times[PS.FIRST_MEETING]
            moments = sorted(self._between(met, self.now) for _ in range(r(1, 2)))
            extra["partial"] = list(zip(signers, moments, strict=False))
        return plan

    def _assign(self, ctx, pairs):
        """Pick (or plan) a ready mentor and mentee for each pair, oldest pair first.

        A mentor holds at most ``limit`` overlapping pairs; a mentee is proposed again only
        after a declined or cancelled proposal; whoever leaves after a closure is not reused.
        """
        rng, mentors, mentees = self.rng, [], []
        for pair in pairs:
            leaving = AFTER_CLOSURE.get(pair.extra.get("exit"))
            free = [
                m
                for m in mentors
                if not m.retired
                and sum(p.start <= pair.end and pair.start <= p.end for p in m.pairs)
                < min(m.fields["capacity"], ctx["limit"])
            ]
            if free and not (leaving and leaving[0] == "mentor") and rng.random() < 0.4:
                mentor = rng.choice(free)
            else:
                mentor = self._person(ctx, "mentor", MS.READY, deadline=pair.start)
                mentors.append(mentor)
            again = [
                m
                for m in mentees
                if len(m.pairs) < 2
                and all(p.state in REUSABLE_PAIR_STATES and p.end < pair.start - 3 for p in m.pairs)
                and all(p.mentor is not mentor for p in m.pairs)
            ]
            if again and rng.random() < 0.6:
                mentee = rng.choice(again)
            else:
                mentee = self._person(ctx, "mentee", ES.READY, deadline=pair.start, like=mentor)
                mentees.append(mentee)
            pair.mentor, pair.mentee = mentor, mentee
            mentor.pairs.append(pair)
            mentee.pairs.append(pair)
            if leaving:
                who = mentor if leaving[0] == "mentor" else mentee
                who.after = (MS.WITHDRAWN if who is mentor else ES.WITHDRAWN, leaving[1])
                who.retired = True
            elif pair.state == PS.CLOSED:
                # Every third mentor whose pair closes stops there (a former mentor), when no
                # other pair of theirs goes on after it.
                self.closures += 1
                alone = all(p is pair or p.end < pair.end for p in mentor.pairs)
                if self.closures % 3 == 1 and alone:
                    pair.extra["mentor_stops"] = True
                    mentor.stops = mentor.retired = True
        return mentors, mentees

    def _note(self, pair):
        a, b = pair.mentor.fields, pair.mentee.fields
        parts = []
        sectors = [SECTOR_FR[s] for s in a["sectors"] if s in b["sectors"]]
        if sectors:
            parts.append("secteur commun : " + ", ".join(sectors))
        languages = [LANGUAGE_FR[x] for x in a["languages"] if x in b["languages"] and x != "fr"]
        if languages:
            parts.append("langue partagée : " + ", ".join(languages))
        hobbies = [HOBBY_FR[h] for h in a["hobbies"] if h in b["hobbies"]]
        if hobbies:
            parts.append("centres d'intérêt : " + ", ".join(hobbies))
        if a["place"] == b["place"]:
            parts.append("même commune")
        if not parts:
            parts.append("proximité géographique et disponibilités compatibles")
        text = " ; ".join(parts)
        return text[0].upper() + text[1:] + "."

    def _run_pairs(self, ctx, plans):
        """Replay the pairs' steps in date order across pairs, so that the people's states
        (matched while in a pair, back to ready or alumni after it) follow the calendar."""
        steps = [
            (plan.times[state], n, plan, state)
            for n, plan in enumerate(plans)
            for state, _day in plan.path
        ]
        steps.sort(key=lambda step: (step[0], step[1]))
        for moment, _n, plan, state in steps:
            self.clock.at(moment)
            self._pair_step(ctx, plan, state)

    def _pair_step(self, ctx, plan, state):
        s = pair_services
        user, extra, moment = ctx["coordinator"], plan.extra, plan.times[state]
        pair = plan.obj
        if state == PS.PROPOSED:
            pair = s.propose_pair(
                plan.mentor.obj, plan.mentee.obj, acting_user=user, note=self._note(plan)
            )
            Pair.objects.filter(pk=pair.pk).update(created_at=moment)
            pair.created_at = moment
        elif state == PS.MENTOR_ACCEPTED:
            pair = s.accept_by_mentor(pair, acting_user=user)
        elif state == PS.MENTEE_ACCEPTED:
            pair = s.accept_by_mentee(pair, acting_user=user)
        elif state in (PS.MENTOR_DECLINED, PS.MENTEE_DECLINED):
            decline = s.decline_by_mentor if state == PS.MENTOR_DECLINED else s.decline_by_mentee
            pair = decline(
                pair,
                acting_user=user,
                reason=extra["decline"],
                note=DECLINE_NOTES[extra["decline"]],
            )
        elif state == PS.FIRST_MEETING:
            pair = s.record_first_meeting(
                pair,
                acting_user=user,
                held_on=timezone.localdate(moment),
                checklist=extra["checklist"],
                notes="Première rencontre au bureau du mentor.",
            )
            for signatory, signed_at in extra.get("partial", ()):
                pair = s.record_signature(
                    pair, acting_user=user, signatory=signatory, signed_at=signed_at
                )
        elif state == PS.CONTRACT_SIGNED:
            for signatory, signed_at in extra["signatures"]:
                pair = s.record_signature(
                    pair, acting_user=user, signatory=signatory, signed_at=signed_at
                )
        elif state == PS.ACTIVE:
            pair = s.activate_pair(pair, acting_user=user, started_on=timezone.localdate(moment))
        elif state == PS.CLOSED:
            pair = s.close_pair(
                pair,
                acting_user=user,
                exit_reason=extra["exit"],
                outcome=extra["outcome"],
                closure_type=extra["closure"],
                ended_on=timezone.localdate(moment),
                notes=CLOSE_NOTES.get(extra["exit"], ""),
                mentor_continues=not extra.get("mentor_stops"),
            )
        elif state == PS.CANCELLED:
            pair = s.cancel_pair(pair, acting_user=user, reason=extra["cancel"])
        plan.obj = pair

    def _run_departures(self, ctx, plans):
        """Mentors and mentees who leave the programme after their pair is closed."""
        for plan in plans:
            if plan.after:
                closed = plan.pairs[-1].times[PS.CLOSED]
                moment = self.at(min(self.day(closed) + self.rng.randint(1, 4), -1))
                moment = max(moment, closed + datetime.timedelta(hours=1))
                moment = min(moment, self.now - datetime.timedelta(minutes=1))
                self.clock.at(moment)
                transition_person(
                    plan.obj, plan.after[0], acting_user=ctx["coordinator"], reason=plan.after[1]
                )
                plan.times[plan.after[0]] = moment
