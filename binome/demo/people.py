"""The demo's mentors and mentees: planned, then replayed through ``binome.people.services``
session by session and step by step (``PeopleBuilder``, a part of the ``DemoBuilder``)."""

import bisect
import datetime
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.management.base import CommandError
from django.utils import timezone

from binome.demo.data import ES, MS, PLACES, PS
from binome.demo.data_people import (
    EMAIL_DOMAINS,
    EMPLOYERS,
    MENTEE_INTERVIEW_REJECTS,
    MENTEE_MOTIVATIONS,
    MENTEE_NOT_RETAINED,
    MENTEE_REDIRECT_REASONS,
    MENTEE_WITHDRAW_REASONS,
    MENTOR_INTERVIEW_REJECTS,
    MENTOR_MOTIVATIONS,
    MENTOR_REJECT_REASONS,
    MENTOR_WITHDRAW_REASONS,
    MIXES,
    NOTES,
    ORIGINS,
    REFERRERS,
    TITLES,
)
from binome.pairs.enums import LIVE_STATES
from binome.people.enums import InterviewDecision, SessionKind
from binome.people.models import Interview, Mentee, Mentor, Session
from binome.people.services import (
    SESSION_ADVANCES,
    create_person,
    record_attendance,
    record_interview,
    transition_person,
)
from binome.people.vocab import (
    Expectation,
    Function,
    Hobby,
    RecruitmentChannel,
    Sector,
    Situation,
    Support,
)
from binome.programmes.enums import Side

# The pipelines: (step kind, session kind or state reached).
MENTOR_STEPS = [
    ("session", SessionKind.INFORMATION),
    ("interview", MS.INTERVIEWED),
    ("session", SessionKind.TRAINING),
    ("move", MS.READY),
]
MENTEE_STEPS = [
    ("session", SessionKind.PRESENTATION),
    ("interview", ES.INTERVIEWED),
    ("move", ES.SELECTED),
    ("move", ES.READY),
]
MOVE_GAPS = {MS.READY: (1, 7), ES.SELECTED: (1, 6), ES.READY: (2, 12)}
FIRST_DAY = -400  # the session calendars start this many days ago
MENTOR_ORDER = [MS.APPLIED, MS.INFORMED, MS.INTERVIEWED, MS.TRAINED, MS.READY]
MENTEE_ORDER = [ES.APPLIED, ES.PRESENTED, ES.INTERVIEWED, ES.SELECTED, ES.READY]
# Days ago a candidate applied, by number of steps done (exits: any time in the year).
T0_RANGES = {0: (1, 25), 1: (8, 45), 2: (15, 60), 3: (20, 80), 4: (70, 330), "exit": (15, 330)}


@dataclass(eq=False)
class PersonPlan:
    kind: str  # "mentor" or "mentee"
    target: str
    fields: dict
    events: list = field(default_factory=list)  # (datetime, kind, payload)
    times: dict = field(default_factory=dict)  # state reached -> datetime
    pairs: list = field(default_factory=list)
    after: tuple | None = None  # (state, reason) once their pair is closed
    retired: bool = False
    stops: bool = False  # a mentor who stops after their pair is closed (alumni)
    obj: Mentor | Mentee | None = None

    @property
    def final_state(self):
        """Where the pipeline and the pair services leave them (matched while in a pair)."""
        if self.after:
            return self.after[0]
        if self.stops:
            return MS.ALUMNI
        if any(p.state in LIVE_STATES for p in self.pairs):
            return MS.MATCHED if self.kind == "mentor" else ES.MATCHED
        if self.kind == "mentee" and any(p.state == PS.CLOSED for p in self.pairs):
            return ES.ALUMNI
        return self.target


def _fold(text):
    text = text.replace("ı", "i").replace("ł", "l").replace("œ", "oe")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum())


class PeopleBuilder:
    """The sessions and the people of one programme (see ``builder.DemoBuilder``)."""

    # -- sessions -------------------------------------------------------------------------

    def _sessions(self, ctx):
        programme = ctx["programme"]
        sessions = []
        for kind, weekday, every, hour, minute, length, location in ctx["spec"]["calendar"]:
            date = self.today + datetime.timedelta(days=FIRST_DAY)
            date += datetime.timedelta(days=(weekday - date.weekday()) % 7)
            while date <= self.today + datetime.timedelta(days=28):
                starts = timezone.make_aware(
                    datetime.datetime.combine(date, datetime.time(hour, minute))
                )
                sessions.append(
                    Session(
                        programme=programme,
                        kind=kind,
                        starts_at=starts,
                        duration_minutes=length,
                        location=location,
                        created_at=min(starts - datetime.timedelta(days=30), self.now),
                    )
                )
                date += datetime.timedelta(days=every)
        Session.objects.bulk_create(sessions)
        past = defaultdict(list)
        for session in programme.sessions.order_by("starts_at", "id"):
            if session.starts_at.date() < self.today:
                past[session.kind].append(session)
        ctx["past"] = past
        ctx["past_starts"] = {k: [s.starts_at for s in v] for k, v in past.items()}

    def _next_session(self, ctx, kind, after):
        """The first past session of ``kind`` starting after ``after``, or None."""
        i = bisect.bisect_right(ctx["past_starts"][kind], after)
        return ctx["past"][kind][i] if i < len(ctx["past"][kind]) else None

    # -- people ---------------------------------------------------------------------------

    def _route(self, kind, target):
        """(steps done, exit event or None) leading to ``target``."""
        rng = self.rng
        order = MENTOR_ORDER if kind == "mentor" else MENTEE_ORDER
        if target in order:
            return order.index(target), None
        if target == MS.REJECTED and kind == "mentor":
            x = rng.random()
            if x < 0.45:
                return (0 if x < 0.25 else 1), ("move", (target, rng.choice(MENTOR_REJECT_REASONS)))
            return 1, (
                "interview",
                (InterviewDecision.REJECT, rng.choice(MENTOR_INTERVIEW_REJECTS)),
            )
        if target == ES.NOT_RETAINED:
            x = rng.random()
            if x < 0.4:
                return (0 if x < 0.2 else 1), ("move", (target, rng.choice(MENTEE_NOT_RETAINED)))
            return 1, (
                "interview",
                (InterviewDecision.REJECT, rng.choice(MENTEE_INTERVIEW_REJECTS)),
            )
        if target == ES.REDIRECTED:
            steps = self.weighted({0: 2, 1: 2, 2: 3, 3: 2, 4: 1})
            return steps, ("move", (target, rng.choice(MENTEE_REDIRECT_REASONS)))
        reasons = MENTOR_WITHDRAW_REASONS if kind == "mentor" else MENTEE_WITHDRAW_REASONS
        steps = self.weighted({0: 2, 1: 2, 2: 2, 3: 1, 4: 2})
        return steps, ("move", (target, rng.choice(reasons)))

    def _person(self, ctx, kind, target, *, deadline=None, like=None):
        """Plan one candidate: identity, attributes and a timeline reaching ``target``.

        With a ``deadline`` (a day), the candidate is ready before it (a pair is proposed then).
        """
        rng = self.rng
        plan = PersonPlan(kind=kind, target=target, fields=self._fields(ctx, kind, like))
        steps, exit_ = self._route(kind, target)
        if deadline is not None:
            base, limit = -deadline + rng.randint(75, 110), deadline - 1
        else:
            base, limit = rng.randint(*T0_RANGES["exit" if exit_ else steps]), -1
        for attempt in range(120):
            ago = base + 7 * attempt
            if ago > -FIRST_DAY:
                raise CommandError(f"Cannot plan a {kind} reaching {target} (deadline {deadline}).")
            events = self._walk(ctx, kind, steps, exit_, -ago, limit)
            if events:
                break
        if steps == 0 and exit_ is None and rng.random() < 0.35:
            missed = self._next_session(
                ctx,
                SessionKind.INFORMATION if kind == "mentor" else SessionKind.PRESENTATION,
                events[0][0],
            )
            if missed is not None:
                events.append((self._ends(missed), "absent", missed))
        plan.events = events
        return plan

    def _ends(self, session):
        return session.starts_at + datetime.timedelta(minutes=session.duration_minutes)

    def _walk(self, ctx, kind, steps, exit_, t0, limit):
        """The dated events of one candidate, or None if they do not fit before ``limit``."""
        rng = self.rng
        plan_steps = (MENTOR_STEPS if kind == "mentor" else MENTEE_STEPS)[:steps]
        current = self.at(t0)
        events = [(current, "create", None)]
        for step, what in plan_steps:
            if step == "session":
                session = self._next_session(ctx, what, current)
                if session is None:
                    return None
                current = self._ends(session)
                events.append((current, "session", session))
            elif step == "interview":
                current = self.at(self.day(current) + rng.randint(3, 14))
                events.append((current, "interview", (InterviewDecision.KEEP, "")))
            else:
                current = self.at(self.day(current) + rng.randint(*MOVE_GAPS[what]))
                events.append((current, "move", (what, "")))
        if exit_:
            gap = (3, 14) if exit_[0] == "interview" else (2, 30)
            current = self.at(self.day(current) + rng.randint(*gap))
            events.append((current, *exit_))
        return events if self.day(current) <= limit else None

    def _email(self, first, last):
        rng = self.rng
        f, l_ = _fold(first), _fold(last)
        local = rng.choice((f"{f}.{l_}", f"{f[0]}.{l_}", f"{f}{l_}", f"{l_}.{f}", f"{f}-{l_}"))
        domain = rng.choice(EMAIL_DOMAINS)
        email, n = f"{local}@{domain}", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self.emails.add(email)
        return email

    def _phone(self, belgian):
        if self.rng.random() < 0.08:
            return ""
        # ARCEP range reserved for fiction (06 39 98 xx xx); Belgium has none, same range.
        digits = f"{self.rng.randint(0, 99):02d} {self.rng.randint(0, 99):02d}"
        return f"+33 6 39 98 {digits}" if belgian else f"06 39 98 {digits}"

    def _fields(self, ctx, kind, like=None):
        """Identity and matching attributes; a mentee made ``like`` a mentor shares a bit."""
        rng, spec = self.rng, ctx["spec"]
        belgian, is_mentor = spec["belgian"], kind == "mentor"
        origin = ORIGINS[self.weighted(MIXES[(kind, belgian)])]
        first = rng.choice(origin.firsts)
        last = rng.choice(origin.lasts if rng.random() < 0.9 else ORIGINS["fr"].lasts)
        tongue = rng.choice(origin.tongues)
        languages = {"fr", tongue}
        if belgian and rng.random() < (0.5 if is_mentor else 0.25):
            languages.add("nl")
        if rng.random() < (0.7 if is_mentor else 0.35):
            languages.add("en")
        if rng.random() < 0.08:
            languages.add(rng.choice(("es", "de", "it")))
        sectors = rng.sample(list(Sector.values), rng.choice((1, 1, 2) if is_mentor else (1, 2, 3)))
        if like is not None and rng.random() < 0.7 and like.fields["sectors"][0] not in sectors:
            sectors[0] = like.fields["sectors"][0]
        place = self.weighted(dict(PLACES[spec["places"]]))
        if like is not None and rng.random() < 0.3:
            place = like.fields["place"]
        fields = {
            "first_name": first,
            "last_name": last,
            "email": self._email(first, last),
            "phone": self._phone(belgian),
            "place": place,
            "max_km": rng.choice((10, 15, 20, 25, 30, 40) if is_mentor else (5, 10, 15, 20, 30)),
            "remote_ok": rng.random() < 0.3,
            "sectors": sectors,
            "functions": rng.sample(list(Function.values), rng.choice((1, 1, 2))),
            "languages": sorted(languages),
            "mother_tongue": tongue,
            "hobbies": rng.sample(list(Hobby.values), rng.randint(1, 4)),
            "notes": rng.choice(NOTES) if rng.random() < 0.2 else "",
        }
        if is_mentor:
            self._mentor_fields(ctx, fields)
        else:
            self._mentee_fields(ctx, fields)
        return fields

    def _mentor_fields(self, ctx, fields):
        rng = self.rng
        birth = rng.randint(1955, 2000)
        title = rng.choice(TITLES[fields["functions"][0]])
        retired = birth <= 1961 and rng.random() < 0.7
        sponsored = not retired and rng.random() < 0.25
        channel = {
            RecruitmentChannel.LINKEDIN: 80,
            RecruitmentChannel.WORD_OF_MOUTH: 8,
            RecruitmentChannel.COMPANY: 12 if sponsored else 1,
            RecruitmentChannel.ALUMNI: 3,
            RecruitmentChannel.EVENT: 2,
            RecruitmentChannel.WEBSITE: 2,
            RecruitmentChannel.PLATFORM: 1,
        }
        fields.update(
            birth_year=birth,
            employer="" if retired else rng.choice(EMPLOYERS[fields["sectors"][0]]),
            job_title=f"Retraité·e, ex-{title[0].lower()}{title[1:]}" if retired else title,
            skills_sponsorship=sponsored,
            capacity=1 if ctx["limit"] == 1 else rng.choice((1, 2, 2)),
            expectations=[Expectation.TRANSMIT]
            + rng.sample(
                [Expectation.NETWORK, Expectation.COMPANY_CODES, Expectation.CONFIDENCE],
                rng.randint(0, 2),
            ),
            support=rng.sample(list(Support.values), rng.randint(2, 4)),
            recruitment_channel=self.weighted(channel),
            motivation=rng.choice(MENTOR_MOTIVATIONS),
        )

    def _mentee_fields(self, ctx, fields):
        rng, spec = self.rng, ctx["spec"]
        young = spec["key"] == "tremplin"
        situations = (
            {
                Situation.NEET: 30,
                Situation.JOB_SEEKER: 35,
                Situation.STUDENT: 15,
                Situation.VOCATIONAL: 10,
                Situation.OTHER: 10,
            }
            if young
            else {
                Situation.JOB_SEEKER: 75,
                Situation.EMPLOYED: 10,
                Situation.NEET: 10,
                Situation.OTHER: 5,
            }
        )
        partner = ctx["partner"]
        referred = partner is not None and rng.random() < 0.4
        channel = {
            RecruitmentChannel.WEBSITE: 30,
            RecruitmentChannel.WORD_OF_MOUTH: 25,
            RecruitmentChannel.PLATFORM: 20,
            RecruitmentChannel.EVENT: 10,
            RecruitmentChannel.ALUMNI: 2,
            RecruitmentChannel.OTHER: 5,
        }
        expectations = [
            Expectation.FIND_JOB,
            Expectation.CONFIDENCE,
            Expectation.NETWORK,
            Expectation.COMPANY_CODES,
            Expectation.TRAINING,
        ]
        if young:
            expectations.append(Expectation.ORIENTATION)
        fields.update(
            birth_year=rng.randint(*spec["mentee_birth"]),
            situation=self.weighted(situations),
            referred_by=partner if referred else None,
            referrer_name=rng.choice(REFERRERS[partner.slug]) if referred else "",
            recruitment_channel=(
                RecruitmentChannel.PARTNER if referred else self.weighted(channel)
            ),
            expectations=rng.sample(expectations, rng.randint(1, 3)),
            support=rng.sample(list(Support.values), rng.randint(1, 3)),
            motivation=rng.choice(MENTEE_MOTIVATIONS),
        )

    def _actor(self, ctx):
        return ctx["admin"] if self.rng.random() < 0.15 else ctx["coordinator"]

    def _answers(self, ctx, side, decision):
        grid = ctx["criteria"][side]
        failing = None
        if decision == InterviewDecision.REJECT:
            failing = self.rng.choice([c for c in grid if c.is_required])
        answers = {}
        for criterion in grid:
            if criterion is failing:
                answers[criterion] = (False, "Point bloquant, voir les notes.")
            else:
                met = criterion.is_required or self.rng.random() < 0.7
                answers[criterion] = (met, "" if met else "À travailler pendant le mentorat.")
        return answers

    def _run_people(self, ctx, plans):
        """Replay every candidate's events in date order through the services."""
        programme = ctx["programme"]
        events, by_session = [], defaultdict(list)
        for plan in plans:
            for moment, kind, payload in plan.events:
                if kind in ("session", "absent"):
                    by_session[(moment, payload.pk, kind, payload)].append(plan)
                else:
                    events.append((moment, len(events), kind, payload, plan))
        for (moment, _pk, kind, session), group in by_session.items():
            events.append((moment, len(events), kind, session, group))
        events.sort(key=lambda e: (e[0], e[1]))
        for moment, _seq, kind, payload, who in events:
            self.clock.at(moment)
            actor = self._actor(ctx)
            if kind == "create":
                model = Mentor if who.kind == "mentor" else Mentee
                who.obj = create_person(
                    model,
                    programme,
                    acting_user=actor,
                    created_at=moment,
                    state_changed_at=moment,
                    **who.fields,
                )
                who.times[who.obj.state] = moment
            elif kind in ("session", "absent"):
                people = [p.obj for p in who]
                key = "mentors" if who[0].kind == "mentor" else "mentees"
                record_attendance(
                    payload, acting_user=actor, attended=kind == "session", **{key: people}
                )
                if kind == "session":
                    for plan in who:
                        plan.times[SESSION_ADVANCES[payload.kind][1]] = moment
            elif kind == "interview":
                decision, notes = payload
                side = Side.MENTOR if who.kind == "mentor" else Side.MENTEE
                if not notes:
                    notes = self.rng.choice(
                        (
                            "Très motivé·e, projet clair.",
                            "Disponibilités confirmées.",
                            "Bonne connaissance du secteur visé.",
                            "",
                        )
                    )
                interview = record_interview(
                    who.obj,
                    acting_user=ctx["coordinator"],
                    held_on=timezone.localdate(moment),
                    decision=decision,
                    answers=self._answers(ctx, side, decision),
                    notes=notes,
                )
                Interview.objects.filter(pk=interview.pk).update(created_at=moment)
                who.times[who.obj.state] = moment
            else:
                state, reason = payload
                transition_person(who.obj, state, acting_user=actor, reason=reason)
                who.times[state] = moment
        for (moment, _pk, _kind, session), _group in by_session.items():
            session.attendances.update(recorded_at=moment + datetime.timedelta(hours=2))
