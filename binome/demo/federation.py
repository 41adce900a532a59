"""Demo of the federation: its member associations, their offers and public registrations
in every routing state, replayed through ``binome.registrations.services``.

Each registration is a story (a list of steps). The stories run together in date order, each
step through the real service, and what a step wrote is then moved back to the step's moment
(``Clock``), so places held and answer times are those of the story's own past.
"""

import datetime
import heapq
import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db.models import Q

from binome.core.services import log_activity
from binome.demo.clock import Clock
from binome.demo.data import PROGRAMMES
from binome.demo.data import STAFF as MAIN_STAFF
from binome.demo.data_people import EMPLOYERS, MIXES, ORIGINS
from binome.notifications.models import OutboxEmail
from binome.organisations.enums import OrganisationKind, Role
from binome.organisations.models import Membership, Organisation
from binome.pairs.models import Pair
from binome.people.enums import SessionKind
from binome.people.models import Mentee, MenteeTransition, Mentor, MentorTransition, Session
from binome.programmes.enums import MentoringKind, Side
from binome.programmes.models import InterviewCriterion, Programme
from binome.registrations import services as reg_services
from binome.registrations.enums import (
    AttemptOutcome,
    CompanySize,
    DeclineReason,
    PriorityPublic,
    ReferrerRole,
    RegistrationKind,
    RegistrationState,
    SupportPurpose,
)
from binome.registrations.models import (
    Offer,
    Registration,
    RegistrationConsent,
    RegistrationTransition,
    RepeatSubmission,
    RoutingAttempt,
)

FEDERATION = {
    "slug": "mentorat-hdf",
    "name": "Fédération Mentorat Hauts-de-France",
    "email": "contact@mentorat-hdf.demo",
    "phone": "06 39 98 00 10",
    "city": "Arras",
}
# The existing demo associations join the federation; one more member on the coast.
MEMBER_SLUGS = ["passerelles", "duo-avenir"]
NEW_MEMBERS = [
    {
        "slug": "tandem-littoral",
        "name": "Tandem Littoral",
        "email": "contact@tandem-littoral.demo",
        "phone": "06 39 98 90 10",
        "city": "Dunkerque",
    },
]
ORG_SLUGS = [FEDERATION["slug"]] + [o["slug"] for o in NEW_MEMBERS]

# email, first name, last name, organisation, role, what they show
STAFF = [
    (
        "federation@mentorat-hdf.demo",
        "Hélène",
        "Vasseur",
        "mentorat-hdf",
        Role.COORDINATOR,
        "coordinatrice, Fédération Mentorat Hauts-de-France (routage, file d'attente)",
    ),
    (
        "equipe@tandem-littoral.demo",
        "Mathieu",
        "Deschamps",
        "tandem-littoral",
        Role.ADMIN,
        "administrateur, Tandem Littoral (association membre)",
    ),
]
FEDERATION_LOGIN = STAFF[0][0]

TANDEM = {
    "name": "Tandem Côte d'Opale",
    "public": "Jeunes de 16 à 30 ans du littoral et, en visio, de tout le Nord–Pas-de-Calais",
    "goals": "Un·e mentor pour choisir une voie, réussir ses études ou trouver un premier "
    "emploi ; rencontres à Dunkerque, Calais ou Boulogne-sur-Mer, ou en visio.",
    "duration_months": 9,
    "meetings_per_month": 2,
    "meeting_minutes": 60,
    "checkin_interval_days": 45,
    "max_mentees_per_mentor": 2,
    "charter_version": "1.2",
    "eligibility_criteria": "Avoir entre 16 et 30 ans ; accord d'un parent pour les mineurs ; "
    "pouvoir se connecter en visio ou se rendre sur le littoral.",
    "mentoring_kinds": [
        MentoringKind.ORIENTATION,
        MentoringKind.SCHOOL_SUPPORT,
        MentoringKind.PROFESSIONAL_INSERTION,
        MentoringKind.JOB_APPLICATION,
    ],
}
TANDEM_CRITERIA = {
    Side.MENTOR: [
        ("Disponible deux heures par mois pendant neuf mois", True),
        ("À l'aise avec la visio", False),
    ],
    Side.MENTEE: [
        ("Souhaite être accompagné·e", True),
        ("Accord d'un parent (mineurs)", True),
    ],
}
TANDEM_SESSIONS = [  # days from today, hour, kind, length, place
    (9, 18, SessionKind.INFORMATION, 60, "Visio (lien envoyé la veille)"),
    (16, 14, SessionKind.PRESENTATION, 90, "Tandem Littoral, 3 quai des Hollandais, Dunkerque"),
]

LILLE, LENS, TOURNAI, BRUSSELS = (
    "fr-commune:59350",
    "fr-commune:62498",
    "be-postcode:7500",
    "be-postcode:1000",
)
COAST = [
    "fr-commune:59183",  # Dunkerque
    "fr-commune:59155",  # Coudekerque-Branche
    "fr-commune:59271",  # Grande-Synthe
    "fr-commune:62193",  # Calais
    "fr-commune:62160",  # Boulogne-sur-Mer
    "fr-commune:62765",  # Saint-Omer
]
K = MentoringKind
# (organisation, programme, side, fields): what each member declares for the routing.
OFFERS = [
    (
        "passerelles",
        "Cap Emploi Métropole",
        "mentee",
        {
            "radius_places": [LILLE],
            "radius_km": 15,
            "age_min": 18,
            "kinds": [K.PROFESSIONAL_INSERTION, K.JOB_APPLICATION],
            "publics": [PriorityPublic.QPV],
            "capacity": 30,
            "starts_on": -365,
        },
    ),
    (
        "passerelles",
        "Cap Emploi Métropole",
        "mentor",
        {
            "radius_places": [LILLE],
            "radius_km": 20,
            "kinds": [K.PROFESSIONAL_INSERTION, K.JOB_APPLICATION],
            "capacity": 25,
            "starts_on": -365,
        },
    ),
    (
        "passerelles",
        "Tremplin Jeunes Bruxelles-Tournai",
        "mentee",
        {
            "radius_places": [BRUSSELS, TOURNAI],
            "radius_km": 20,
            "age_min": 18,
            "age_max": 30,
            "kinds": [K.ORIENTATION, K.PROFESSIONAL_INSERTION, K.JOB_APPLICATION],
            "capacity": 12,
            "ends_on": 120,
        },
    ),
    (
        "passerelles",
        "Tremplin Jeunes Bruxelles-Tournai",
        "mentor",
        {"radius_places": [BRUSSELS, TOURNAI], "radius_km": 25, "capacity": 10, "ends_on": 120},
    ),
    (
        "duo-avenir",
        "Duo Avenir Bassin minier",
        "mentee",
        {
            "communes": ["fr-commune:62498", "fr-commune:62510", "fr-commune:62427"],
            "radius_places": [LENS],
            "radius_km": 20,
            "age_min": 18,
            "situations": ["job_seeker", "neet", "employed", "other"],
            "kinds": [K.PROFESSIONAL_INSERTION, K.BUSINESS_CREATION],
            "capacity": 10,
        },
    ),
    (
        "duo-avenir",
        "Duo Avenir Bassin minier",
        "mentor",
        {"radius_places": [LENS], "radius_km": 25, "capacity": 10},
    ),
    (
        "tandem-littoral",
        TANDEM["name"],
        "mentee",
        {
            "communes": COAST,
            "departments": ["59", "62"],
            "age_min": 16,
            "age_max": 30,
            "publics": [PriorityPublic.ASE, PriorityPublic.RURAL],
            "kinds": list(TANDEM["mentoring_kinds"]),
            "capacity": 30,
        },
    ),
    (
        "tandem-littoral",
        TANDEM["name"],
        "mentor",
        {"communes": COAST, "departments": ["59", "62"], "capacity": 25},
    ),
]

Y, M, R, C = (
    RegistrationKind.YOUNG,
    RegistrationKind.MENTOR,
    RegistrationKind.REFERRAL,
    RegistrationKind.COMPANY,
)
S = RegistrationState
D = DeclineReason
A = AttemptOutcome


def young(first, last, age, place, situation, kinds, need, publics=(), belgian=False):
    return {
        "who": (first, last, belgian),
        "age": age,
        "place": place,
        "situation": situation,
        "kinds": list(kinds),
        "publics": list(publics),
        "need": need,
    }


def mentor(first, last, age, place, employer, kinds, need):
    return {
        "who": (first, last, False),
        "age": age,
        "place": place,
        "employer": employer,
        "kinds": list(kinds),
        "need": need,
    }


def referral(referrer, role, structure, young_data, with_email=True):
    return {**young_data, "referrer": (*referrer, role, structure), "young_email": with_email}


def again(changes):
    """The person of the story just before registers again, with these new answers."""
    return {"again": changes}


def company(name, size, place, first, last, need):
    return {
        "who": (first, last, False),
        "company": (name, size),
        "place": place,
        "need": need,
    }


# Stories: (kind, data, steps, final state, outcomes of the associations asked, in order).
# Steps: ("submit", day) (routed a minute later unless "hold"), then, in days after the
# previous step: ("accept", d), ("contact", d), ("decline", d, reason, note), ("timeout",)
# (the answer delay after the last routing), ("route_to", d, slug), ("close", d, reason),
# ("withdraw", d, reason), ("support", d, purpose, note), ("repeat", d, new answers) (the form
# sent again: the answers wait for the owner), ("apply_repeat", d) (the owner applies them).
# fmt: off
STORIES = [
    # Just arrived: waiting to be routed.
    (Y, young("Inès", "Benali", 19, "fr-commune:59512", "neet",
              [K.ORIENTATION, K.PROFESSIONAL_INSERTION],
              "Je ne sais pas quel métier choisir ; j'aimerais en parler avec quelqu'un qui "
              "travaille.", publics=[PriorityPublic.QPV]),
     [("submit", 0, "hold")], S.RECEIVED, ()),
    # Sent to an association, waiting for its answer.
    (Y, young("Théo", "Delattre", 23, LILLE, "job_seeker",
              [K.PROFESSIONAL_INSERTION, K.JOB_APPLICATION],
              "Diplômé d'un BTS logistique, je cherche mon premier poste depuis huit mois. "
              "Vous pouvez me rappeler au 06 39 98 41 17 après 17 h."),
     [("submit", -2),
      ("repeat", 1, {"phone": "06 39 98 41 18", "need": "BTS logistique ; je peux aussi "
                     "travailler en préparation de commandes."})],
     S.ROUTED, (A.PENDING,)),
    (M, mentor("Nathalie", "Lecomte", 47, "fr-commune:59599", "Caisse Mutuelle du Nord",
               [K.JOB_APPLICATION],
               "Responsable RH depuis quinze ans, je souhaite aider des jeunes à préparer "
               "leurs entretiens."),
     [("submit", -4)], S.ROUTED, (A.PENDING,)),
    (R, referral(("Élise", "Dumortier"), ReferrerRole.PRESCRIBER, "Mission Locale de Lille",
                 young("Mamadou", "Diop", 18, "fr-postcode:59000", "neet",
                       [K.PROFESSIONAL_INSERTION],
                       "Sorti du lycée sans diplôme, très motivé pour la restauration.",
                       publics=[PriorityPublic.QPV]), with_email=False),
     [("submit", -3)], S.ROUTED, (A.PENDING,)),
    (C, company("Métallerie Scarpe", CompanySize.SMALL, "fr-commune:59178", "Benoît",
                "Duquesne", "Trois soudeurs expérimentés prêts à accompagner des jeunes "
                "en reconversion."),
     [("submit", -1)], S.ROUTED, (A.PENDING,)),
    # Declined, then routed again at once to the next eligible association.
    (Y, young("Aminata", "Koné", 21, "fr-commune:59009", "job_seeker", [K.JOB_APPLICATION],
              "J'ai un master en comptabilité et aucune réponse à mes candidatures."),
     [("submit", -6), ("decline", 2, D.FULL, "Plus de place avant la rentrée de septembre."),
      ("repeat", 1, {"kinds": [K.JOB_APPLICATION, K.PROFESSIONAL_INSERTION]}),
      ("apply_repeat", 0)],
     S.ROUTED, (A.DECLINED, A.PENDING)),
    (C, company("Clinique des Trois Rivières", CompanySize.LARGE, "fr-commune:62041",
                "Céline", "Hennebelle", "Une vingtaine de soignants volontaires, mentorat sur "
                "le temps de travail à partir de la rentrée."),
     [("submit", -7), ("decline", 3, D.OTHER,
                       "Nous ne pouvons pas accueillir plus de cinq mentors d'un coup.")],
     S.ROUTED, (A.DECLINED, A.PENDING)),
    (M, mentor("Sofiane", "Cherif", 29, LENS, "Banque Flandre-Artois",
               [K.BUSINESS_CREATION],
               "Conseiller aux professionnels, j'aimerais accompagner un projet de création."),
     [("submit", -18), ("decline", 2, D.FULL, "Nos mentors suffisent pour la session de "
                                               "printemps."), ("accept", 2)],
     S.ACCEPTED, (A.DECLINED, A.ACCEPTED)),
    (R, referral(("Thomas", "Verhaeghe"), ReferrerRole.PRESCRIBER, "Mission Locale de Lille",
                 young("Leïla", "Ziani", 20, LILLE, "neet", [K.PROFESSIONAL_INSERTION],
                       "Sortie de l'aide sociale à l'enfance l'an dernier, cherche un premier "
                       "emploi stable.", publics=[PriorityPublic.ASE])),
     [("submit", -35), ("decline", 2, D.FULL, "Plus de mentor disponible ce trimestre."),
      ("accept", 2), ("contact", 3)],
     S.CONTACTED, (A.DECLINED, A.ACCEPTED)),
    # No answer in time: the request moved on.
    (Y, young("Lucas", "Wattel", 20, "fr-commune:62510", "job_seeker",
              [K.PROFESSIONAL_INSERTION],
              "CAP électricien, je voudrais des conseils pour trouver une entreprise."),
     [("submit", -10), ("timeout",)], S.ROUTED, (A.TIMED_OUT, A.PENDING)),
    (M, mentor("Rachid", "Mansouri", 39, "fr-commune:62427", "Nordis Logistique",
               [K.PROFESSIONAL_INSERTION],
               "Chef d'équipe en entrepôt, je recrute souvent des jeunes sans expérience."),
     [("submit", -30), ("timeout",), ("accept", 1), ("contact", 4)],
     S.CONTACTED, (A.TIMED_OUT, A.ACCEPTED)),
    # Taken in charge, then first contact.
    (Y, young("Yasmine", "El Fassi", 24, "fr-commune:59599", "job_seeker",
              [K.JOB_APPLICATION, K.PROFESSIONAL_INSERTION],
              "Je reprends une recherche d'emploi après un congé parental."),
     [("submit", -5), ("accept", 2)], S.ACCEPTED, (A.ACCEPTED,)),
    (R, referral(("Sophie", "Lambert"), ReferrerRole.PARENT, "",
                 young("Léa", "Lambert", 16, LILLE, "high_school",
                       [K.ORIENTATION, K.SCHOOL_SUPPORT],
                       "En seconde, elle hésite entre un bac pro et une filière générale.")),
     [("submit", -8), ("accept", 1)], S.ACCEPTED, (A.ACCEPTED,)),
    (Y, young("Noémie", "Lejeune", 22, TOURNAI, "student", [K.ORIENTATION],
              "En dernière année de bachelier, je ne sais pas si je continue en master.",
              belgian=True),
     [("submit", -40), ("accept", 2), ("contact", 4)], S.CONTACTED, (A.ACCEPTED,)),
    (R, referral(("Youssef", "Amrani"), ReferrerRole.PRESCRIBER,
                 "Antenne Jeunesse Emploi Bruxelles",
                 young("Exaucée", "Mukendi", 19, "be-postcode:1080", "neet",
                       [K.PROFESSIONAL_INSERTION],
                       "Cherche une formation qualifiante dans la vente.", belgian=True)),
     [("submit", -21), ("accept", 3), ("contact", 2)], S.CONTACTED, (A.ACCEPTED,)),
    (M, mentor("Pierre", "Delcroix", 63, "fr-commune:59328", "",
               [K.PROFESSIONAL_INSERTION, K.JOB_APPLICATION],
               "Jeune retraité de l'industrie textile, je veux transmettre mon réseau."),
     [("submit", -45), ("accept", 1), ("contact", 3)], S.CONTACTED, (A.ACCEPTED,)),
    (C, company("Logiciels Vauban", CompanySize.MEDIUM, LILLE, "Olivier", "Lacroix",
                "Huit développeurs prêts à mentorer des jeunes en reconversion vers le "
                "numérique."),
     [("submit", -70), ("accept", 3), ("contact", 5)], S.CONTACTED, (A.ACCEPTED,)),
    # Nobody eligible: the federation's own queue.
    (Y, young("Anaïs", "Poulain", 19, "fr-commune:80021", "neet", [K.ORIENTATION],
              "J'ai arrêté la fac en cours d'année et je voudrais trouver une voie."),
     [("submit", -5)], S.QUEUED, ()),
    (R, referral(("Karine", "Boulanger"), ReferrerRole.PRESCRIBER,
                 "Mission Locale du Grand Amiénois",
                 young("Ayoub", "Ouali", 17, "fr-commune:80001", "vocational",
                       [K.PROFESSIONAL_INSERTION], "Cherche un patron pour un apprentissage "
                       "en mécanique.")),
     [("submit", -3)], S.QUEUED, ()),
    (C, company("Menuiseries du Beauvaisis", CompanySize.MEDIUM, "fr-commune:60057", "Claire",
                "Dumont", "Une dizaine de salariés volontaires pour du mentorat sur le temps "
                "de travail à partir de septembre."),
     [("submit", -9), ("support", 2, SupportPurpose.HELP_REQUESTED,
                       "La responsable a appelé la fédération pour savoir où en est la demande.")],
     S.QUEUED, ()),
    # The federation sends a queued request to a member, or closes it.
    (Y, young("Manon", "Vandewalle", 18, "fr-commune:02691", "vocational",
              [K.ORIENTATION, K.SCHOOL_SUPPORT],
              "En terminale bac pro, je voudrais savoir quoi faire après."),
     [("submit", -15), ("route_to", 2, "tandem-littoral"), ("accept", 1)],
     S.ACCEPTED, (A.ACCEPTED,)),
    (M, mentor("Gérard", "Roussel", 66, "fr-commune:02722", "",
               [K.SCHOOL_SUPPORT], "Ancien professeur de mathématiques, disponible le "
                                   "mercredi."),
     [("submit", -25), ("support", 2, SupportPurpose.QUEUE_HANDLING,
                        "Appel pour lui proposer un bénévolat près de chez lui."),
      ("close", 0, "Aucune association membre dans l'Aisne : orienté vers le centre de "
                   "bénévolat de Soissons.")],
     S.CLOSED, ()),
    # Withdrawn by the registrant (the status link), before or after being taken in charge.
    (Y, young("Bilal", "Amrani", 25, "fr-commune:59512", "job_seeker",
              [K.PROFESSIONAL_INSERTION], "Je cherche un emploi dans le bâtiment."),
     [("submit", -12), ("withdraw", 2, "J'ai trouvé un CDD de six mois dans un entrepôt.")],
     S.WITHDRAWN, (A.CANCELLED,)),
    (M, mentor("Élodie", "Masson", 34, "fr-commune:59009", "Datamosaïque", [],
               "Data analyst, envie de partager mon parcours de reconversion."),
     [("submit", -60), ("accept", 2), ("contact", 6),
      ("withdraw", 30, "Nouveau poste avec beaucoup de déplacements cette année.")],
     S.WITHDRAWN, (A.ACCEPTED,)),
    (Y, young("Hamza", "Saïdi", 22, LILLE, "job_seeker", [K.ORIENTATION],
              "Je ne sais pas encore vers quoi me tourner."),
     [("submit", -150), ("withdraw", 3, "Je pars six mois en service civique à Marseille.")],
     S.WITHDRAWN, (A.CANCELLED,)),
    # The same person, back six months later: a new request, linked to the withdrawn one.
    (Y, again({"situation": "job_seeker", "kinds": [K.PROFESSIONAL_INSERTION],
               "need": "De retour de service civique, je cherche un emploi dans l'animation."}),
     [("submit", -3)], S.ROUTED, (A.PENDING,)),
    (C, company("Hôtel du Beffroi", CompanySize.SMALL, LILLE, "Laure", "Delplanque",
                "Deux managers de l'hôtel souhaitent accompagner des jeunes vers les métiers "
                "de l'accueil."),
     [("submit", -11), ("withdraw", 3, "Projet reporté à l'an prochain.")],
     S.WITHDRAWN, (A.CANCELLED,)),
]
# fmt: on

# Older requests of the full demo, for the SLA dashboard: (area, places).
AREAS = {
    "lille": ([LILLE, "fr-commune:59512", "fr-commune:59599", "fr-commune:59009",
               "fr-commune:59360", "fr-commune:59328"], False),
    "mining": ([LENS, "fr-commune:62510", "fr-commune:62427"], False),
    "coast": (COAST, False),
    "belgium": ([BRUSSELS, TOURNAI, "be-postcode:1080", "be-postcode:1030"], True),
}  # fmt: skip
BACKGROUND = 36
YOUNG_NEEDS = [
    "Je cherche un premier emploi après mon diplôme.",
    "J'aimerais être aidé·e pour mon CV et mes lettres de motivation.",
    "Je voudrais reprendre confiance avant les entretiens.",
    "Je ne sais pas quelle formation choisir.",
    "",
]
MENTOR_NEEDS = [
    "Envie de transmettre mon expérience à un jeune qui n'a pas de réseau.",
    "Mon entreprise encourage le mécénat de compétences.",
    "Jeune retraité·e, je veux rester utile.",
    "",
]
COMPANY_NEEDS = [
    "Quelques salariés volontaires pour du mentorat sur le temps de travail.",
    "Nous voulons lancer un programme de mentorat dans notre entreprise.",
]
PRESCRIBERS = [
    ("Nadia", "Haddad", "Mission Locale de Lille"),
    ("Thomas", "Verhaeghe", "Mission Locale de Lille"),
    ("Sofie", "Claes", "Antenne Jeunesse Emploi Bruxelles"),
    ("Aurore", "Delvaux", "Antenne Jeunesse Emploi Bruxelles"),
    ("Marion", "Caron", "Mission Locale du Dunkerquois"),
]
DECLINES = [
    (D.FULL, "Plus de place pour le moment."),
    (D.OUT_OF_AREA, "Trop loin de nos lieux de rencontre."),
    (D.NOT_OUR_PUBLIC, "Besoin d'un accompagnement plus spécialisé."),
]
REMINDER_DAYS = 45  # days of the reminders job replayed
# Days an association usually takes to answer (its speed counts in the routing score).
ANSWER_DAYS = {"passerelles": (0, 3), "duo-avenir": (2, 5), "tandem-littoral": (0, 2)}


def build(base):
    FederationDemo(base).build()


def delete():
    """Delete the federation's demo: its registrations, new members and logins."""
    orgs = Organisation.objects.filter(slug__in=ORG_SLUGS)
    fed = orgs.filter(kind=OrganisationKind.FEDERATION)
    members = Organisation.objects.filter(Q(federation__in=fed) | Q(slug__in=ORG_SLUGS))
    Registration.objects.filter(Q(federation__in=fed) | Q(organisation__in=members)).delete()
    OutboxEmail.objects.filter(organisation__in=orgs).delete()
    Pair.objects.filter(programme__organisation__in=orgs).delete()
    Mentor.objects.filter(programme__organisation__in=orgs).delete()
    Mentee.objects.filter(programme__organisation__in=orgs).delete()
    Organisation.objects.filter(federation__in=fed).update(federation=None)
    orgs.delete()
    get_user_model().objects.filter(email__in=[s[0] for s in STAFF]).delete()


def summary(write):
    fed = Organisation.objects.filter(slug=FEDERATION["slug"]).first()
    if fed is None:
        return
    members = list(fed.members.order_by("name"))
    offers = Offer.objects.filter(programme__organisation__federation=fed)
    write(
        f"Federation {fed.name}: {len(members)} members ("
        + ", ".join(m.name for m in members)
        + f"), {offers.count()} offers"
    )
    registrations = Registration.objects.for_federation(fed)
    states = Counter(registrations.values_list("state", flat=True))
    write(
        f"Registrations ({sum(states.values())}): "
        + ", ".join(f"{s.value} {states.get(s.value, 0)}" for s in RegistrationState)
    )
    outcomes = Counter(
        RoutingAttempt.objects.filter(registration__federation=fed).values_list(
            "outcome", flat=True
        )
    )
    rerouted = registrations.filter(
        attempts__outcome__in=[A.DECLINED, A.TIMED_OUT],
        state__in=[S.ROUTED, S.ACCEPTED, S.CONTACTED],
    ).distinct()
    write(
        "  associations asked: "
        + ", ".join(f"{o.value} {outcomes.get(o.value, 0)}" for o in AttemptOutcome)
        + f"; rerouted after a decline or no answer: {rerouted.count()}"
    )
    samples = (
        ("taken in charge", registrations.filter(state=S.ACCEPTED)),
        ("form sent again", registrations.filter(repeat__isnull=False).exclude(repeat__answers={})),
    )
    for what, qs in samples:
        sample = qs.order_by("created_at", "pk").first()
        if sample is not None:
            write(f"  a registrant's status page ({what}): {reg_services.status_url(sample)}")


class FederationDemo:
    def __init__(self, base):
        self.base = base
        self.rng = random.Random(base.rng.random())
        self.clock = Clock(latest=base.now - datetime.timedelta(minutes=1))
        self.full = base.size == "full"

    # -- set-up -------------------------------------------------------------------------

    def build(self):
        self.users = {
            email: self.base.account(email, first, last) for email, first, last, *_rest in STAFF
        }
        self.federation = Organisation.objects.create(
            kind=OrganisationKind.FEDERATION, **FEDERATION
        )
        Organisation.objects.filter(slug__in=MEMBER_SLUGS).update(federation=self.federation)
        self.orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=MEMBER_SLUGS)}
        for spec in NEW_MEMBERS:
            self.orgs[spec["slug"]] = Organisation.objects.create(
                kind=OrganisationKind.ASSOCIATION, federation=self.federation, **spec
            )
        self.orgs[self.federation.slug] = self.federation
        for email, _first, _last, slug, role, _what in STAFF:
            Membership.objects.create(
                user=self.users[email], organisation=self.orgs[slug], role=role
            )
        self.fed_user = self.users[FEDERATION_LOGIN]
        self._tandem()
        self._staff_by_programme()
        self._offers()
        self._run(self._stories())

    def _tandem(self):
        base = self.base
        programme = Programme.objects.create(
            organisation=self.orgs["tandem-littoral"],
            created_at=base.at(-300),
            **TANDEM,
        )
        for side, rows in TANDEM_CRITERIA.items():
            for order, (label, required) in enumerate(rows, start=1):
                InterviewCriterion.objects.create(
                    programme=programme, side=side, label=label, order=order, is_required=required
                )
        for day, hour, kind, length, place in TANDEM_SESSIONS:
            Session.objects.create(
                programme=programme,
                kind=kind,
                starts_at=base.at(day, hour, 0),
                duration_minutes=length,
                location=place,
                created_at=base.at(-5),
            )

    def _offers(self):
        programmes = {
            (p.organisation.slug, p.name): p
            for p in Programme.objects.filter(
                organisation__in=[o for o in self.orgs.values()]
            ).select_related("organisation")
        }
        today = self.base.today
        for slug, name, side, fields in OFFERS:
            fields = dict(fields)
            for key in ("starts_on", "ends_on"):
                if key in fields:
                    fields[key] = today + datetime.timedelta(days=fields[key])
            offer = Offer.objects.create(
                programme=programmes[(slug, name)],
                side=side,
                created_at=self.base.at(-360),
                **fields,
            )
            log_activity(
                offer,
                "created",
                acting_user=self._staff(offer.programme),
                organisation=offer.programme.organisation,
            )

    def _staff_by_programme(self):
        """Who answers for each programme: its coordinator, else the association's editor."""
        users = {u.email: u for u in get_user_model().objects.filter(
            email__in=[s[0] for s in MAIN_STAFF] + [s[0] for s in STAFF]
        )}  # fmt: skip
        self.by_programme = {spec["name"]: users[spec["coordinator"]] for spec in PROGRAMMES}
        self.by_org = {}
        for email, _first, _last, slug, role, _what in [*MAIN_STAFF, *STAFF]:
            if role in (Role.ADMIN, Role.COORDINATOR):
                self.by_org.setdefault(slug, users[email])

    def _staff(self, programme):
        return self.by_programme.get(programme.name) or self.by_org[programme.organisation.slug]

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
                attempt = reg.attempts.filter(outcome=AttemptOutcome.PENDING).first()
                if attempt is not None:  # else the reminders job timed it out just before
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
