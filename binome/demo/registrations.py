"""The federation demo's public registrations in every routing state (``RegistrationsBuilder``,
a part of the ``federation.FederationDemo``).

Each registration is a story (a list of steps). The stories run together in date order, each
step through the real service, and what a step wrote is then moved back to the step's moment
(``Clock``), so places held and answer times are those of the story's own past.
"""

import datetime
import heapq

from django.core.management.base import CommandError

from binome.demo.data_federation import (
    ANSWER_DAYS,
    AREAS,
    BACKGROUND,
    COMPANY_NEEDS,
    DECLINES,
    MENTOR_NEEDS,
    PRESCRIBERS,
    REMINDER_DAYS,
    STORIES,
    YOUNG_NEEDS,
    C,
    K,
    M,
    R,
    S,
    Y,
    company,
    mentor,
    referral,
    young,
)
from binome.demo.data_people import EMPLOYERS, MIXES, ORIGINS
from binome.people.models import Mentee, MenteeTransition, Mentor, MentorTransition
from binome.programmes.models import Programme
from binome.registrations import services as reg_services
from binome.registrations.enums import (
    AttemptOutcome,
    CompanySize,
    ReferrerRole,
)
from binome.registrations.models import (
    Registration,
    RegistrationConsent,
    RegistrationTransition,
    RepeatSubmission,
    RoutingAttempt,
    RoutingAttemptTransition,
)


class RegistrationsBuilder:
    """The registration stories, run together in date order (see ``federation.FederationDemo``)."""

    # -- stories --------------------------------------------------------------------------

    def _stories(self):
        stories = []
        for kind, spec, steps, final, outcomes in STORIES:
            story = {"kind": kind, "steps": steps, "final": final, "outcomes": tuple(outcomes),
                     "checked": True}  # fmt: skip
            if "again" in spec:
                story.update(again_of=stories[-1], changes=spec["again"])
            else:
                story.update(data=self._data(kind, spec), **self._age(spec))
            stories.append(story)
        if self.full:
            stories += [self._background() for _ in range(BACKGROUND)]
        return stories

    def _person(self, first, last, belgian):
        return {
            "first_name": first,
            "last_name": last,
            "email": self.base._email(first, last),
            "phone": self.base._phone(belgian),
        }

    def _data(self, kind, spec):
        year = self.base.today.year
        # The agreements the public forms require are ticked.
        data = {"place": spec["place"], "need": spec["need"], "consent": True}
        if kind == C:
            data.update(self._person(*spec["who"]))
            data.update(company_name=spec["company"][0], company_size=spec["company"][1])
            return data
        data.update(self._person(*spec["who"]))
        data.update(birth_year=year - spec["age"], kinds=spec["kinds"])
        if kind == M:
            data["employer"] = spec["employer"]
            return data
        data.update(situation=spec["situation"], publics=spec["publics"])
        data["guardian_consent"] = spec["age"] < 18
        if kind == R:
            first, last, role, structure = spec["referrer"]
            contact = self._person(first, last, spec["who"][2])
            data.update(
                young_consent=True,
                referrer_role=role,
                referrer_name=f"{first} {last}",
                referrer_structure=structure,
                referrer_email=contact["email"],
                referrer_phone=contact["phone"],
            )
            if not spec["young_email"]:
                data["email"] = ""
        return data

    def _background(self):
        """An older request, taken in charge in most cases (the SLA dashboard's history)."""
        base, rng = self.base, self.rng
        kind = base.weighted({Y: 40, M: 30, R: 18, C: 12})
        area = base.weighted({"lille": 50, "mining": 15, "coast": 25, "belgium": 10})
        places, belgian = AREAS[area]
        side = "mentor" if kind in (M, C) else "mentee"
        origin = ORIGINS[base.weighted(MIXES[(side, belgian)])]
        first, last = rng.choice(origin.firsts), rng.choice(origin.lasts)
        place = rng.choice(places)
        if kind == C:
            spec = company(
                rng.choice(rng.choice(list(EMPLOYERS.values()))),
                rng.choice(list(CompanySize.values)),
                place,
                first,
                last,
                rng.choice(COMPANY_NEEDS),
            )
            spec["who"] = (first, last, belgian)
        elif kind == M:
            spec = mentor(
                first,
                last,
                rng.randint(26, 67),
                place,
                "",
                rng.sample([K.PROFESSIONAL_INSERTION, K.JOB_APPLICATION, K.ORIENTATION], 1),
                rng.choice(MENTOR_NEEDS),
            )
            spec["who"] = (first, last, belgian)
        else:
            spec = young(
                first,
                last,
                rng.randint(18, 29),
                place,
                rng.choice(["job_seeker", "job_seeker", "neet", "student"]),
                [K.PROFESSIONAL_INSERTION] if rng.random() < 0.7 else [K.JOB_APPLICATION],
                rng.choice(YOUNG_NEEDS),
                belgian=belgian,
            )
            if kind == R:
                pf, pl, structure = rng.choice(PRESCRIBERS)
                spec = referral((pf, pl), ReferrerRole.PRESCRIBER, structure, spec)
        steps = [("submit", -rng.randint(50, 330))]
        x = rng.random()
        if x < 0.15:
            reason, note = rng.choice(DECLINES)
            steps.append(("decline", rng.randint(1, 4), reason, note))
        elif x < 0.22:
            steps.append(("timeout",))
        if rng.random() < 0.08:
            steps.append(("withdraw", rng.randint(1, 5), "Je n'en ai plus besoin."))
        else:
            steps += [("accept", None), ("contact", rng.randint(1, 12))]
            if rng.random() < 0.06:
                steps.append(("withdraw", rng.randint(10, 40), "Déménagement."))
        return {
            "kind": kind,
            "data": self._data(kind, spec),
            "steps": steps,
            "checked": False,
            **self._age(spec),
        }

    @staticmethod
    def _age(spec):
        return {"age": spec["age"]} if "age" in spec else {}

    # -- replay ---------------------------------------------------------------------------

    def _run(self, stories):
        """Run the stories' steps in date order across all stories."""
        queue = []
        for seq, story in enumerate(stories):
            story["gen"] = self._story(story)
            moment = next(story["gen"])
            heapq.heappush(queue, (moment, seq, story))
        reminders = self._reminders(min(moment for moment, _seq, _story in queue))
        heapq.heappush(queue, (next(reminders), -1, {"gen": reminders, "checked": False}))
        while queue:
            moment, seq, story = heapq.heappop(queue)
            self.clock.at(moment)
            try:
                moment = story["gen"].send(moment)
            except StopIteration:
                moment = None
            if moment is not None:
                heapq.heappush(queue, (moment, seq, story))
        self.clock.apply(
            Registration,
            RoutingAttempt,
            RoutingAttemptTransition,
            RegistrationTransition,
            RegistrationConsent,
            RepeatSubmission,
            Mentee,
            MenteeTransition,
            Mentor,
            MentorTransition,
        )
        wrong = [s for s in stories if s["checked"] and not self._reached(s)]
        if wrong:
            raise CommandError(
                f"{len(wrong)} demo registrations did not reach their planned state: "
                + ", ".join(s["data"]["first_name"] for s in wrong)
            )

    def _reached(self, story):
        reg = story["registration"]
        reg.refresh_from_db()
        outcomes = tuple(reg.attempts.order_by("routed_at", "id").values_list("outcome", flat=True))
        return reg.state == story["final"] and outcomes == story["outcomes"]

    def _after(self, moment, days, *, office=True):
        """A moment ``days`` after ``moment`` (office hours for the staff), always later."""
        base = self.base
        if days is None:
            days = self.rng.randint(0, 3)
        if office:
            later = base.at(base.day(moment) + days)
        else:
            later = base.at(base.day(moment) + days, self.rng.randint(7, 22))
        if later <= moment:
            later = moment + datetime.timedelta(minutes=self.rng.randint(20, 240))
        return self.clock.clamp(later)

    def _story(self, story):
        """One registration's steps; yields the moment of each step before running it."""
        rng, clock = self.rng, self.clock
        steps = story["steps"]
        kind, day, *flags = steps[0]
        if day == 0:
            moment = self.base.now - datetime.timedelta(minutes=rng.randint(15, 50))
        else:
            moment = self.base.at(day, rng.randint(7, 22))
        moment = yield clock.clamp(moment)
        if "again_of" in story:
            story["data"] = {**story["again_of"]["data"], **story["changes"]}
        if "age" in story:
            story["data"]["birth_year"] = moment.year - story["age"]
        reg, _created = reg_services.submit_registration(
            kind=story["kind"], data=story["data"], language="fr"
        )
        story["registration"] = reg
        routed = moment
        if "hold" not in flags:
            routed = yield clock.clamp(moment + datetime.timedelta(seconds=rng.randint(20, 90)))
            self._settle()
            reg_services.route_registration(reg, now=routed)
            moment = routed
        for step in steps[1:]:
            action = step[0]
            if action == "timeout":
                delay = datetime.timedelta(
                    days=reg_services.answer_days(), minutes=rng.randint(5, 55)
                )
                moment = yield clock.clamp(routed + delay)
            elif action == "accept" and step[1] is None:
                holder = self._current(reg).organisation
                slug = holder.slug if holder else ""
                moment = yield self._after(moment, rng.randint(*ANSWER_DAYS.get(slug, (1, 3))))
            else:
                moment = yield self._after(moment, step[1], office=action != "withdraw")
            reg = self._current(reg)
            if action in ("decline", "timeout"):
                self._settle()
            if action == "decline":
                reg_services.decline(
                    reg,
                    organisation=reg.organisation,
                    acting_user=self._answerer(reg),
                    reason=step[2],
                    note=step[3],
                )
                routed = moment
            elif action == "timeout":
                # Only an attempt that waited its full time: the reminders job may have timed
                # this one out just before and routed the request again since.
                overdue = moment - datetime.timedelta(days=reg_services.answer_days())
                attempt = reg.attempts.filter(
                    outcome=AttemptOutcome.PENDING, routed_at__lte=overdue
                ).first()
                if attempt is not None:
                    reg_services.time_out(attempt, now=moment)
                routed = moment
            elif action == "accept":
                if reg.state == S.QUEUED:  # older requests: the federation finds a member
                    reg = self._route_from_queue(reg)
                if reg.state != S.ROUTED:
                    continue
                programme = reg.offer.programme if reg.offer else self._default_programme(reg)
                reg_services.accept(
                    reg,
                    organisation=reg.organisation,
                    acting_user=self._answerer(reg),
                    programme=programme if reg.kind != C else None,
                )
            elif action == "contact":
                if reg.state != S.ACCEPTED:
                    continue
                reg_services.record_first_contact(
                    reg, organisation=reg.organisation, acting_user=self._answerer(reg)
                )
            elif action == "route_to":
                reg_services.route_to(
                    reg, self.orgs[step[2]], acting_user=self.fed_user, federation=self.federation
                )
                routed = moment
            elif action == "close":
                reg_services.close_from_queue(
                    reg, federation=self.federation, acting_user=self.fed_user, reason=step[2]
                )
            elif action == "withdraw":
                reg_services.withdraw(reg, reason=step[2])
            elif action == "repeat":
                reg_services.submit_registration(
                    kind=story["kind"], data={**story["data"], **step[2]}, language="fr"
                )
            elif action == "apply_repeat":
                reg_services.apply_repeat(reg)
            elif action == "support":
                reg_services.reveal_for_support(
                    reg,
                    federation=self.federation,
                    acting_user=self.fed_user,
                    purpose=step[2],
                    note=step[3],
                )

    def _reminders(self, first):
        """The reminders job (hourly in production; here every morning): day-3 and day-6
        reminders to the associations that have not answered, and the timeout after that.
        Over the last weeks only: the older requests are history, their reminders not replayed."""
        for day in range(max(self.base.day(first), -REMINDER_DAYS), 1):
            moment = yield self.clock.clamp(self.base.at(day, 8, 5))
            self._settle()  # the ages count from the backdated routing times
            reg_services.send_reminders(now=moment)

    def _settle(self):
        """Before a routing: the answer times so far, which its score counts, backdated."""
        self.clock.apply(RoutingAttempt, mails=False)

    def _route_from_queue(self, reg):
        asked = set(reg.attempts.values_list("organisation_id", flat=True))
        member = next(
            (o for o in self.federation.members.order_by("pk") if o.pk not in asked), None
        )
        if member is None:
            return reg
        reg_services.route_to(reg, member, acting_user=self.fed_user, federation=self.federation)
        return self._current(reg)

    def _current(self, reg):
        return Registration.objects.select_related("organisation", "offer__programme").get(
            pk=reg.pk
        )

    def _default_programme(self, reg):
        return (
            Programme.objects.filter(organisation=reg.organisation, is_active=True)
            .order_by("pk")
            .first()
        )

    def _answerer(self, reg):
        programme = reg.offer.programme if reg.offer else self._default_programme(reg)
        if programme is not None:
            return self._staff(programme)
        return self.by_org[reg.organisation.slug]
