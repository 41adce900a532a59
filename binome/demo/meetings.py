"""Demo of the pairs' meetings (``binome.meetings.services``): for every started pair of the
associations, a meeting about every two weeks over the last three months (held, not held,
cancelled; most logs confirmed by the other side, the staff acting on behalf of the person),
the last one sometimes still to log, and one or two planned in the coming weeks; a calendar
address for the people of one pair per programme.

The services refuse dates more than three months back, so the history starts there. What
they stamp with today's time (planning, log, confirmation) is then moved back to plausible
moments around each meeting (its transition rows too); the journal keeps today's dates, as
in the rest of the demo.
"""

import datetime

from binome.demo.data import DEMO_SLUGS
from binome.meetings import feeds, services
from binome.meetings.enums import MEETING_PAIR_STATES
from binome.meetings.models import Meeting, MeetingTransition
from binome.organisations.enums import Role
from binome.organisations.models import Membership
from binome.pairs.models import Pair

HISTORY_DAYS = 88
TOPICS = [
    "CV relu ligne à ligne, mise en avant des expériences de bénévolat",
    "Préparation d'un entretien : questions fréquentes, se présenter en 2 minutes",
    "Lettre de motivation pour une candidature spontanée",
    "Point sur les candidatures envoyées et les relances",
    "Codes de l'entreprise : tenue, ponctualité, échanges par e-mail",
    "Réseau : liste de trois contacts à solliciter dans le secteur",
    "Confiance en soi : retour sur un entretien difficile",
    "Découverte d'un métier : échange avec un collègue du mentor",
]
ACTIONS = [
    "Mettre à jour le profil LinkedIn",
    "Relancer les deux candidatures de la semaine dernière",
    "Préparer trois exemples de réussite pour les entretiens",
    "S'inscrire au job dating du mois",
]
NEXT_STEPS = [
    "Simulation d'entretien à la prochaine rencontre",
    "Faire le point sur les réponses reçues",
    "Rencontre sur le lieu de travail du mentor",
]
PLACES = ["Bureau du mentor", "Café près de la gare", "Médiathèque, salle de travail"]
CANCEL_REASONS = ["Empêchement professionnel du mentor", "Mentoré·e malade"]


def build(base):
    MeetingsDemo(base).build()


class MeetingsDemo:
    def __init__(self, base):
        self.base = base
        self.rng = base.rng
        self.now = base.now
        self.staff = {}
        self.feeds_done = set()

    def _staff(self, pair):
        org = pair.programme.organisation_id
        if org not in self.staff:
            self.staff[org] = (
                Membership.objects.filter(organisation_id=org, role=Role.COORDINATOR)
                .select_related("user")
                .order_by("pk")
                .first()
                or Membership.objects.filter(organisation_id=org, role=Role.ADMIN).first()
            ).user
        return self.staff[org]

    def build(self):
        pairs = (
            Pair.objects.filter(
                programme__organisation__slug__in=DEMO_SLUGS, state__in=MEETING_PAIR_STATES
            )
            .select_related("programme__organisation", "mentor", "mentee")
            .order_by("pk")
        )
        for pair in pairs:
            self._pair(pair)
        self._backdate()

    def _pair(self, pair):
        user = self._staff(pair)
        start = pair.started_on or pair.first_meeting_on or self.base.today
        first = max(start, self.base.today - datetime.timedelta(days=HISTORY_DAYS))
        day = first + datetime.timedelta(days=self.rng.randint(2, 8))
        past = []
        while day < self.base.today:
            past.append(self._moment(day))
            day += datetime.timedelta(days=self.rng.choice((10, 13, 14, 15, 21)))
        for i, moment in enumerate(past):
            meeting = self._plan(pair, user, moment)
            if i == len(past) - 1 and self.rng.random() < 0.4:
                continue  # the last one still to log
            self._outcome(pair, user, meeting)
        for _ in range(self.rng.choice((1, 1, 2))):
            day += datetime.timedelta(days=self.rng.randint(3, 20))
            if day <= self.base.today:
                day = self.base.today + datetime.timedelta(days=3)
            self._plan(pair, user, self._moment(day))
        if pair.programme_id not in self.feeds_done:
            self.feeds_done.add(pair.programme_id)
            for person in (pair.mentor, pair.mentee):
                feeds.issue_feed(person, acting_user=user)

    def _moment(self, day):
        hour = self.rng.choice((9, 10, 12, 14, 17, 18))
        return self.base.at((day - self.base.today).days, hour, self.rng.choice((0, 30)))

    def _plan(self, pair, user, moment):
        video = self.rng.random() < 0.2
        return services.plan_meeting(
            pair,
            acting_user=user,
            on_behalf_of=self.rng.choice((None, "mentor", "mentee")),
            starts_at=moment,
            place="" if video else self.rng.choice(PLACES),
            video_url="https://visio.example.org/binome" if video else "",
        )

    def _outcome(self, pair, user, meeting):
        roll = self.rng.random()
        if roll < 0.08:
            services.cancel_meeting(
                meeting, acting_user=user, reason=self.rng.choice(CANCEL_REASONS)
            )
            return
        held = roll >= 0.16
        side = self.rng.choice(("mentor", "mentee"))
        values = {"held": held}
        if held:
            values.update(
                held_minutes=self.rng.choice((60, 75, 90, 90, 90, 105, 120)),
                topics=self.rng.choice(TOPICS),
                actions_reviewed=self.rng.choice(ACTIONS),
                next_step=self.rng.choice(NEXT_STEPS),
                during_working_time=self.rng.choice((True, False, None)),
            )
        services.log_meeting(meeting, acting_user=user, on_behalf_of=side, **values)
        if self.rng.random() < 0.75:
            other = "mentee" if side == "mentor" else "mentor"
            correction = {}
            if held and self.rng.random() < 0.15:
                correction["held_minutes"] = values["held_minutes"] - 15
            services.confirm_meeting(meeting, acting_user=user, on_behalf_of=other, **correction)

    def _backdate(self):
        """The acts happened around each meeting, not today (capped at the demo's now)."""
        meetings = list(Meeting.objects.filter(pair__programme__organisation__slug__in=DEMO_SLUGS))
        cap = self.now - datetime.timedelta(minutes=1)
        for m in meetings:
            planned = min(m.starts_at - datetime.timedelta(days=self.rng.randint(3, 12)), cap)
            m.created_at = m.planned_at = planned
            logged = min(m.starts_at + datetime.timedelta(hours=self.rng.randint(2, 30)), cap)
            if m.logged_at:
                m.logged_at = logged
            if m.confirmed_at:
                later = datetime.timedelta(hours=self.rng.randint(4, 72))
                m.confirmed_at = min(logged + later, cap)
            m.state_changed_at = m.confirmed_at or m.logged_at or planned
        Meeting.objects.bulk_update(
            meetings,
            ["created_at", "planned_at", "logged_at", "confirmed_at", "state_changed_at"],
            batch_size=500,
        )
        by_meeting = {m.pk: m for m in meetings}
        rows = list(MeetingTransition.objects.filter(subject__in=meetings))
        for row in rows:
            m = by_meeting[row.subject_id]
            row.at = m.planned_at if row.to_state == "planned" else m.state_changed_at
        MeetingTransition.objects.bulk_update(rows, ["at"], batch_size=500)
