"""Demo of the pairs' in-take and action plan (``binome.plans.services``): every active pair of
the associations gets its in-take (strengths and weaknesses of the job search) and a plan of
two to four goals under the five kinds of support, each with two or three actions, some
started, done or dropped. The mentor or the mentee writes when they have a portal account,
else the staff write on their behalf (recorded as such). Call it after the portal accounts:
``plans.build(base)``."""

import datetime

from binome.demo.data import DEMO_SLUGS
from binome.organisations.enums import Role
from binome.organisations.models import Membership
from binome.pairs.enums import PairState
from binome.pairs.models import Pair
from binome.plans import services
from binome.plans.enums import ActionState, Support

STRENGTHS = [
    "Très motivé·e, disponible à temps plein, bonne présentation",
    "Expérience en restauration et en logistique, permis B",
    "Bilingue français-arabe, à l'aise à l'oral",
    "Diplôme obtenu, stages réussis, bonnes références",
]
WEAKNESSES = [
    "CV peu lisible, pas de lettre de motivation type",
    "Aucun réseau dans le secteur visé",
    "Manque de confiance en entretien, stress",
    "Projet professionnel encore flou",
]
GOALS = {
    Support.TECHNICAL: (
        "Un CV et une lettre adaptés aux postes visés",
        ["Refaire le CV avec le mentor", "Écrire une lettre type", "Simulation d'entretien"],
    ),
    Support.OBJECTIVE: (
        "Un projet professionnel qui rencontre le marché",
        ["Lister trois métiers possibles", "Lire dix offres du secteur", "Faire le bilan des +/-"],
    ),
    Support.CONCRETE: (
        "Connaître les codes de l'entreprise",
        ["Visiter le lieu de travail du mentor", "Échanger avec un·e collègue du mentor"],
    ),
    Support.PSYCHOLOGICAL: (
        "Gagner en confiance en entretien",
        ["Préparer sa présentation en 2 minutes", "Raconter trois réussites"],
    ),
    Support.RELATIONAL: (
        "Ouvrir un premier réseau professionnel",
        [
            "Créer le profil LinkedIn",
            "Rencontrer deux contacts du mentor",
            "S'inscrire au job dating",
        ],
    ),
}
MOVES = [
    (),
    (ActionState.IN_PROGRESS,),
    (ActionState.DONE,),
    (ActionState.IN_PROGRESS, ActionState.DONE),
    (ActionState.DROPPED,),
]


def build(base):
    PlansDemo(base).build()


class PlansDemo:
    def __init__(self, base):
        self.base = base
        self.rng = base.rng
        self.staff = {}

    def _staff(self, pair):
        org = pair.programme.organisation_id
        if org not in self.staff:
            member = (
                Membership.objects.filter(organisation_id=org, role=Role.COORDINATOR)
                .order_by("pk")
                .first()
                or Membership.objects.filter(organisation_id=org, role=Role.ADMIN).first()
            )
            self.staff[org] = member.user
        return self.staff[org]

    def _as(self, pair, side):
        """Who writes for ``side``: the person's own account, else the staff on behalf."""
        person = getattr(pair, side)
        if person.user_id:
            return {"acting_user": person.user, "on_behalf_of": None}
        return {"acting_user": self._staff(pair), "on_behalf_of": side}

    def build(self):
        pairs = (
            Pair.objects.filter(
                programme__organisation__slug__in=DEMO_SLUGS, state=PairState.ACTIVE
            )
            .select_related("programme__organisation", "mentor__user", "mentee__user")
            .order_by("pk")
        )
        for pair in pairs:
            self._pair(pair)

    def _pair(self, pair):
        rng = self.rng
        services.save_intake(
            pair,
            strengths=rng.choice(STRENGTHS),
            weaknesses=rng.choice(WEAKNESSES),
            **self._as(pair, "mentee"),
        )
        if rng.random() < 0.5:  # completed later by the mentor
            services.save_intake(
                pair,
                strengths=rng.choice(STRENGTHS) + ", sens du service",
                weaknesses=rng.choice(WEAKNESSES),
                **self._as(pair, "mentor"),
            )
        start = pair.started_on or self.base.today
        for support in rng.sample(list(GOALS), rng.randint(2, 4)):
            title, actions = GOALS[support]
            side = rng.choice(("mentor", "mentee"))
            goal = services.add_goal(pair, support=support, title=title, **self._as(pair, side))
            for what in actions[: rng.randint(2, 3)]:
                owner = rng.choice(("mentor", "mentee", "mentee"))
                due = start + datetime.timedelta(days=rng.randint(10, 120))
                due = max(due, self.base.today - datetime.timedelta(days=60))
                action = services.add_action(
                    goal, what=what, owner=owner, due_on=due, **self._as(pair, side)
                )
                for state in rng.choice(MOVES):
                    services.set_action_state(action, state, **self._as(pair, owner))
