"""Demo data: two associations, their programmes, people and pairs in every state; the
federation, its routing and the matching runs come from ``binome.demo`` (one builder per domain).

Everything goes through the real services (``binome.people.services``,
``binome.pairs.services``), one step at a time in date order, so the transition and activity
logs are real; what each step wrote is then moved back to its planned moment over the last year
(``binome.demo.clock``; the activity log is append-only and keeps today's dates).
Deterministic for a given seed and day, and idempotent: a second run does nothing unless
``--reset`` is given. The e-mails the services queue are marked as sent, with
backdated times, so that a fresh demo never sends anything.
"""

import bisect
import datetime
import math
import random
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from binome import demo
from binome.demo.clock import Clock
from binome.notifications.models import OutboxEmail, OutboxState
from binome.organisations.enums import OrganisationKind, Role
from binome.organisations.models import Membership, Organisation
from binome.pairs import services as pair_services
from binome.pairs.enums import (
    LIVE_STATES,
    ClosureType,
    DeclineReason,
    ExitReason,
    FirstMeetingItem,
    Outcome,
    PairState,
    Signatory,
)
from binome.pairs.models import Pair, PairTransition
from binome.people.enums import InterviewDecision, MenteeState, MentorState, SessionKind
from binome.people.models import (
    Interview,
    Mentee,
    MenteeTransition,
    Mentor,
    MentorTransition,
    Session,
)
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
from binome.programmes.enums import MentoringKind, Side
from binome.programmes.models import InterviewCriterion, Programme

PASSWORD = "binome-demo"  # noqa: S105 - public demo password, printed at the end
DEFAULT_SEED = 2026
NO_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
MAIN_SLUG = "passerelles"
ROOT_EMAIL = "root@binome.demo"

ORGANISATIONS = [
    {
        "slug": "passerelles",
        "name": "Passerelles Mentorat",
        "email": "contact@passerelles.demo",
        "phone": "06 39 98 10 20",
        "city": "Lille",
    },
    {
        "slug": "duo-avenir",
        "name": "Duo Avenir",
        "email": "bonjour@duo-avenir.demo",
        "phone": "06 39 98 30 40",
        "city": "Lens",
    },
    # Insertion partners (ISP) that refer mentees.
    {
        "slug": "mission-locale-lille",
        "name": "Mission Locale de Lille",
        "email": "accueil@mission-locale-lille.demo",
        "phone": "06 39 98 50 60",
        "city": "Lille",
    },
    {
        "slug": "antenne-jeunesse-bxl",
        "name": "Antenne Jeunesse Emploi Bruxelles",
        "email": "info@antenne-jeunesse-bxl.demo",
        "phone": "+33 6 39 98 70 80",
        "city": "Bruxelles",
    },
]
DEMO_SLUGS = [o["slug"] for o in ORGANISATIONS]

# email, first name, last name, organisation, role, what they show
PARTNER_SLUG = "mission-locale-lille"
STAFF = [
    (
        "admin@passerelles.demo",
        "Sandrine",
        "Delcourt",
        "passerelles",
        Role.ADMIN,
        "administratrice, Passerelles Mentorat",
    ),
    (
        "coordination@passerelles.demo",
        "Karim",
        "Belhadj",
        "passerelles",
        Role.COORDINATOR,
        "coordinateur, Cap Emploi Métropole",
    ),
    (
        "bruxelles@passerelles.demo",
        "Lotte",
        "Janssens",
        "passerelles",
        Role.COORDINATOR,
        "coordinatrice, Tremplin Jeunes Bruxelles-Tournai",
    ),
    (
        "partenaire@passerelles.demo",
        "Claire",
        "Vandamme",
        "passerelles",
        Role.PARTNER,
        "partenaire en lecture seule (Mission Locale de Lille)",
    ),
    (
        "equipe@duo-avenir.demo",
        "Julien",
        "Carpentier",
        "duo-avenir",
        Role.ADMIN,
        "administrateur, Duo Avenir (autre association : isolation)",
    ),
]

W = SessionKind  # short alias for the calendars below
PROGRAMMES = [
    {
        "key": "cap",
        "org": "passerelles",
        "coordinator": "coordination@passerelles.demo",
        "partner": "mission-locale-lille",
        "name": "Cap Emploi Métropole",
        "public": "Demandeuses et demandeurs d'emploi de la métropole lilloise",
        "goals": "Accompagner pendant six mois des personnes en recherche d'emploi vers une "
        "sortie positive (emploi, formation, création d'activité) grâce au réseau et "
        "à l'expérience d'un·e mentor bénévole.",
        "duration_months": 6,
        "meetings_per_month": 2,
        "meeting_minutes": 90,
        "checkin_interval_days": 42,
        "max_mentees_per_mentor": 1,
        "charter_version": "2.1",
        "eligibility_criteria": "Disponible pour une recherche d'emploi à temps plein ; "
        "souhaite être accompagné·e ; habite la métropole lilloise.",
        "mentoring_kinds": [MentoringKind.PROFESSIONAL_INSERTION, MentoringKind.JOB_APPLICATION],
        "criteria": {
            Side.MENTOR: [
                ("Motivation pour un engagement bénévole de six mois", True),
                ("Disponible deux fois 1 h 30 par mois", True),
                ("Au moins cinq ans d'expérience professionnelle", True),
                ("Réseau professionnel dans la métropole", False),
            ],
            Side.MENTEE: [
                ("Disponible pour une recherche d'emploi à temps plein", True),
                ("Souhaite être accompagné·e", True),
                ("Projet professionnel identifié", False),
                ("Français suffisant pour les entretiens d'embauche", False),
            ],
        },
        # kind, weekday (0 = Monday), every (days), hour, minute, length (minutes), place
        "calendar": [
            (
                W.INFORMATION,
                1,
                14,
                18,
                30,
                60,
                "Passerelles Mentorat, 12 rue des Tanneurs, 59000 Lille",
            ),
            (
                W.PRESENTATION,
                3,
                14,
                10,
                0,
                60,
                "Passerelles Mentorat, 12 rue des Tanneurs, 59000 Lille",
            ),
            (W.TRAINING, 5, 21, 9, 0, 210, "Salle Vauban, 12 rue des Tanneurs, 59000 Lille"),
        ],
        "places": "lille",
        "belgian": False,
        "mentee_birth": (1994, 2008),
    },
    {
        "key": "tremplin",
        "org": "passerelles",
        "coordinator": "bruxelles@passerelles.demo",
        "partner": "antenne-jeunesse-bxl",
        "name": "Tremplin Jeunes Bruxelles-Tournai",
        "public": "Jeunes de 18 à 30 ans, Bruxelles et Wallonie picarde",
        "goals": "Aider des jeunes à construire leur projet et à décrocher un premier emploi, "
        "une formation ou un stage, avec un·e mentor du monde professionnel.",
        "duration_months": 6,
        "meetings_per_month": 2,
        "meeting_minutes": 90,
        "checkin_interval_days": 60,
        "max_mentees_per_mentor": 2,
        "charter_version": "1.3",
        "eligibility_criteria": "Avoir entre 18 et 30 ans ; habiter Bruxelles ou la Wallonie "
        "picarde ; vouloir être accompagné·e.",
        "mentoring_kinds": [
            MentoringKind.ORIENTATION,
            MentoringKind.PROFESSIONAL_INSERTION,
            MentoringKind.JOB_APPLICATION,
        ],
        "criteria": {
            Side.MENTOR: [
                ("Motivation et écoute", True),
                ("Disponible deux fois par mois pendant six mois", True),
                ("Expérience de l'accompagnement de jeunes", False),
            ],
            Side.MENTEE: [
                ("A entre 18 et 30 ans", True),
                ("Souhaite être accompagné·e", True),
                ("Peut se rendre aux rencontres (Bruxelles ou Tournai)", True),
                ("Idée de projet, même vague", False),
            ],
        },
        "calendar": [
            (W.INFORMATION, 2, 14, 18, 0, 60, "Espace Passerelles, rue du Marché 40, Bruxelles"),
            (W.PRESENTATION, 0, 14, 14, 0, 60, "Espace Passerelles, rue du Marché 40, Bruxelles"),
            (W.TRAINING, 5, 21, 9, 30, 210, "Antenne de Tournai, rue Royale 20, 7500 Tournai"),
        ],
        "places": "brussels",
        "belgian": True,
        "mentee_birth": (1996, 2008),
    },
    {
        "key": "duo",
        "org": "duo-avenir",
        "coordinator": "equipe@duo-avenir.demo",
        "partner": None,
        "name": "Duo Avenir Bassin minier",
        "public": "Personnes en recherche d'emploi du bassin minier (Lens, Liévin, Hénin)",
        "goals": "Un duo pour retrouver confiance, un emploi ou un projet de création.",
        "duration_months": 6,
        "meetings_per_month": 2,
        "meeting_minutes": 90,
        "checkin_interval_days": 42,
        "max_mentees_per_mentor": 1,
        "charter_version": "1.0",
        "eligibility_criteria": "Habiter le bassin minier ; vouloir être accompagné·e.",
        "mentoring_kinds": [MentoringKind.PROFESSIONAL_INSERTION, MentoringKind.BUSINESS_CREATION],
        "criteria": {
            Side.MENTOR: [
                ("Motivation pour un engagement de six mois", True),
                ("Disponible deux fois par mois", True),
                ("Connaissance du tissu économique local", False),
            ],
            Side.MENTEE: [
                ("Souhaite être accompagné·e", True),
                ("Disponible pour les rencontres", True),
                ("Projet professionnel ou de création", False),
            ],
        },
        "calendar": [
            (W.INFORMATION, 1, 28, 18, 0, 60, "Duo Avenir, 8 place Jean-Jaurès, 62300 Lens"),
            (W.PRESENTATION, 3, 28, 14, 0, 60, "Duo Avenir, 8 place Jean-Jaurès, 62300 Lens"),
            (W.TRAINING, 5, 42, 9, 0, 180, "Duo Avenir, 8 place Jean-Jaurès, 62300 Lens"),
        ],
        "places": "mining",
        "belgian": False,
        "mentee_birth": (1994, 2008),
    },
]

MS, ES, PS = MentorState, MenteeState, PairState
# People per target state (besides the ready ones created for pairs) and pairs per state.
# fmt: off
SIZES = {
    "full": {
        "cap": {
            "mentors": {MS.APPLIED: 10, MS.INFORMED: 10, MS.INTERVIEWED: 8, MS.TRAINED: 6,
                        MS.READY: 28, MS.REJECTED: 16, MS.WITHDRAWN: 16},
            "mentees": {ES.APPLIED: 17, ES.PRESENTED: 14, ES.INTERVIEWED: 9, ES.SELECTED: 7,
                        ES.READY: 36, ES.NOT_RETAINED: 18, ES.REDIRECTED: 12, ES.WITHDRAWN: 10},
            "pairs": {PS.PROPOSED: 4, PS.MENTOR_ACCEPTED: 3, PS.MENTOR_DECLINED: 4,
                      PS.MENTEE_ACCEPTED: 3, PS.MENTEE_DECLINED: 3, PS.FIRST_MEETING: 4,
                      PS.CONTRACT_SIGNED: 3, PS.ACTIVE: 14, PS.CLOSED: 8, PS.CANCELLED: 2},
        },
        "tremplin": {
            "mentors": {MS.APPLIED: 5, MS.INFORMED: 5, MS.INTERVIEWED: 4, MS.TRAINED: 3,
                        MS.READY: 14, MS.REJECTED: 7, MS.WITHDRAWN: 7},
            "mentees": {ES.APPLIED: 8, ES.PRESENTED: 6, ES.INTERVIEWED: 5, ES.SELECTED: 4,
                        ES.READY: 15, ES.NOT_RETAINED: 7, ES.REDIRECTED: 5, ES.WITHDRAWN: 5},
            "pairs": {PS.PROPOSED: 2, PS.MENTOR_ACCEPTED: 1, PS.MENTOR_DECLINED: 2,
                      PS.MENTEE_ACCEPTED: 1, PS.MENTEE_DECLINED: 1, PS.FIRST_MEETING: 2,
                      PS.CONTRACT_SIGNED: 1, PS.ACTIVE: 9, PS.CLOSED: 5, PS.CANCELLED: 2},
        },
        "duo": {
            "mentors": {MS.APPLIED: 1, MS.INFORMED: 1, MS.READY: 2, MS.WITHDRAWN: 1},
            "mentees": {ES.APPLIED: 2, ES.PRESENTED: 1, ES.READY: 2, ES.REDIRECTED: 1},
            "pairs": {PS.PROPOSED: 1, PS.MENTOR_DECLINED: 1, PS.ACTIVE: 3, PS.CLOSED: 1},
        },
    },
    # Every state at least once, a few seconds to build (for the tests).
    "small": {
        "cap": {
            # In a pair and after it: reached through the pairs below. A few more ready people,
            # as mentees whose pair is closed are no longer in the matching pool.
            "mentors": {**{s: 1 for s in MS if s not in (MS.MATCHED, MS.ALUMNI)}, MS.READY: 2},
            "mentees": {**{s: 1 for s in ES if s not in (ES.MATCHED, ES.ALUMNI)}, ES.READY: 3},
            "pairs": {**{s: 1 for s in PS}, PS.CLOSED: 2},
        },
        "tremplin": {
            "mentors": {MS.APPLIED: 1, MS.READY: 1},
            "mentees": {ES.APPLIED: 1, ES.READY: 1},
            "pairs": {PS.PROPOSED: 1, PS.ACTIVE: 2},
        },
        "duo": {
            "mentors": {MS.APPLIED: 1},
            "mentees": {ES.APPLIED: 1},
            "pairs": {PS.ACTIVE: 1},
        },
    },
}

# Place keys (binome.geo): INSEE codes and postcodes, with rough weights.
PLACES = {
    "lille": [
        ("fr-commune:59350", 20), ("fr-postcode:59000", 4), ("fr-postcode:59800", 3),
        ("fr-commune:59512", 10), ("fr-commune:59599", 8), ("fr-commune:59009", 6),
        ("fr-commune:59650", 4), ("fr-commune:59328", 3), ("fr-commune:59378", 3),
        ("fr-commune:59017", 2), ("fr-commune:59360", 2), ("fr-commune:59299", 2),
        ("fr-commune:59163", 2), ("fr-commune:59410", 2), ("fr-commune:59368", 2),
        ("fr-commune:59646", 2), ("fr-commune:59507", 1), ("fr-commune:59220", 1),
        ("fr-commune:59560", 1), ("fr-commune:59279", 1), ("fr-commune:59152", 1),
        ("fr-commune:59178", 1), ("fr-commune:62498", 1), ("fr-commune:59606", 1),
        ("fr-commune:62041", 1), ("fr-commune:59183", 1),
    ],
    "brussels": [
        ("be-postcode:1000", 8), ("be-postcode:1030", 6), ("be-postcode:1050", 4),
        ("be-postcode:1060", 4), ("be-postcode:1070", 6), ("be-postcode:1080", 6),
        ("be-postcode:1090", 2), ("be-postcode:1140", 2), ("be-postcode:1180", 3),
        ("be-postcode:1190", 3), ("be-postcode:1200", 3), ("be-postcode:1210", 3),
        ("be-postcode:7500", 7), ("be-postcode:7700", 4),
    ],
    "mining": [
        ("fr-commune:62498", 6), ("fr-commune:62510", 4), ("fr-commune:62427", 3),
        ("fr-commune:59178", 2), ("fr-commune:62041", 2), ("fr-commune:62119", 2),
        ("fr-commune:62215", 1), ("fr-commune:62178", 1),
    ],
}
# fmt: on


@dataclass(frozen=True)
class Origin:
    firsts: tuple
    lasts: tuple
    tongues: tuple  # mother tongues (codes of binome.people.vocab.Language)


def _o(firsts, lasts, tongues):
    return Origin(tuple(firsts.split()), tuple(lasts.split(",")), tuple(tongues.split()))


ORIGINS = {
    "fr": _o(
        "Camille Julien Sophie Nicolas Claire Thomas Élodie Mathieu Aurélie Benoît Céline "
        "Pierre Marion Antoine Isabelle Olivier Nathalie Sébastien Laure Vincent Pauline "
        "Guillaume Hélène François Léa Hugo Manon Lucas Chloé Théo Emma Louis Margaux "
        "Baptiste Anaïs Romain Justine Maxime Jeanne Arthur Odile Gérard Martine Bernard",
        "Martin,Dubois,Lefebvre,Leroy,Dupont,Lemaire,Delattre,Deschamps,Fontaine,Lambert,"
        "Mercier,Caron,Lefèvre,Delcroix,Dumont,Carpentier,Delannoy,Vasseur,Hennebelle,"
        "Duhamel,Lecomte,Wattel,Poulain,Masson,Bertin,Roussel,Vandewalle,Delplanque,"
        "Descamps,Verhaeghe,Duquesne,Leclercq,Deleplace,Boulanger,Petit,Moreau,Lacroix",
        "fr",
    ),
    "be": _o(
        "Maxime Amandine Cédric Gaëlle Quentin Delphine Arnaud Aurore Florian Manon "
        "Jérôme Valérie Grégory Noémie Thibault Sarah",
        "Lambert,Dupont,Renard,Collard,Lejeune,Delvaux,Gilson,Thiry,Lemaire,Simon,Hubert,"
        "Jacquet,Dewez,Piette,Lecocq,Wauters",
        "fr",
    ),
    "nl": _o(
        "Pieter Lotte Jef Annelies Wout Sofie Bram Ine Koen Elke Arne Fien Joris Lien",
        "Peeters,Janssens,Maes,Jacobs,Mertens,Willems,Claes,Goossens,Wouters,De Smet,"
        "Vermeulen,Van Damme,De Backer,Van den Broeck",
        "nl",
    ),
    "maghreb": _o(
        "Yasmine Karim Nadia Mehdi Samira Youssef Amina Rachid Leïla Sofiane Imane "
        "Bilal Nour Ayoub Salma Hamza Khadija Walid Inès Farid Malika Anas",
        "Benali,Haddad,El Idrissi,Bouzid,Amrani,Cherif,Mansouri,Belkacem,Aït Ahmed,"
        "Ziani,Benyahia,El Fassi,Lahlou,Ouali,Boukhari,Mebarki,Tahiri,Saïdi",
        "ar ar fr",
    ),
    "west_africa": _o(
        "Aminata Moussa Fatou Ibrahima Mariam Seydou Awa Mamadou Oumar Kadiatou Adama Ramatoulaye",
        "Diallo,Traoré,Koné,Ndiaye,Diop,Camara,Sow,Mbaye,Cissé,Keïta,Coulibaly",
        "wo bm fr",
    ),
    "central_africa": _o(
        "Grâce Christelle Junior Prince Divine Patrick Merveille Jonathan Exaucée Dieudonné",
        "Kabongo,Mukendi,Ilunga,Tshibangu,Nsimba,Mbala,Lukusa,Kalonji",
        "ln fr",
    ),
    "portugal": _o(
        "João Ana Tiago Inês Rui Beatriz Diogo Marta",
        "Da Silva,Pereira,Ferreira,Rodrigues,Gonçalves,Teixeira,Almeida,Lopes",
        "pt",
    ),
    "turkey": _o(
        "Elif Emre Zeynep Burak Ayşe Mehmet Selin Kerem",
        "Yılmaz,Kaya,Demir,Çelik,Şahin,Aydın,Öztürk,Arslan",
        "tr",
    ),
    "east_europe": _o(
        "Katarzyna Piotr Andrei Ioana Olena Dmytro Magdalena Bogdan Iryna",
        "Kowalski,Nowak,Popescu,Ionescu,Kovalenko,Shevchenko,Wiśniewska,Dumitru",
        "pl ro uk ru",
    ),
    "asia": _o(
        "Minh Linh Thanh Mei Wei Tharshan Nirmala Kumar",
        "Nguyen,Tran,Pham,Chen,Wang,Sivakumar,Rajendran,Li",
        "zh ta fr",
    ),
    "exile": _o(
        "Ahmad Farid Zahra Mariam Yonas Selam Abdi Hodan Samir Tesfaye",
        "Ahmadi,Rahimi,Haidari,Kidane,Tesfay,Warsame,Abdullahi,Hosseini",
        "ps fa ti so",
    ),
}
# Origin mixes: mentors (working professionals) and mentees, France and Belgium.
MIXES = {
    ("mentor", False): {
        "fr": 62,
        "maghreb": 14,
        "west_africa": 4,
        "portugal": 5,
        "turkey": 3,
        "east_europe": 4,
        "asia": 3,
        "be": 3,
        "central_africa": 2,
    },
    ("mentee", False): {
        "fr": 34,
        "maghreb": 24,
        "west_africa": 10,
        "central_africa": 5,
        "portugal": 4,
        "turkey": 5,
        "east_europe": 6,
        "asia": 4,
        "exile": 8,
    },
    ("mentor", True): {
        "be": 36,
        "nl": 24,
        "fr": 10,
        "maghreb": 12,
        "central_africa": 6,
        "turkey": 4,
        "portugal": 3,
        "east_europe": 3,
        "asia": 2,
    },
    ("mentee", True): {
        "be": 16,
        "nl": 8,
        "maghreb": 28,
        "central_africa": 14,
        "west_africa": 6,
        "turkey": 8,
        "east_europe": 6,
        "exile": 10,
        "fr": 4,
    },
}
EMAIL_DOMAINS = ("example.org", "example.com", "example.net")

TITLES = {
    Function.HR: [
        "Chargé·e de recrutement",
        "Responsable des ressources humaines",
        "Gestionnaire de paie",
    ],
    Function.SALES: [
        "Commercial·e grands comptes",
        "Responsable des ventes",
        "Chargé·e d'affaires",
    ],
    Function.MARKETING: [
        "Chef·fe de projet communication",
        "Responsable marketing",
        "Chargé·e de communication",
    ],
    Function.FINANCE: ["Contrôleur·se de gestion", "Comptable", "Responsable financier·e"],
    Function.IT: [
        "Développeur·se",
        "Chef·fe de projet informatique",
        "Administrateur·rice systèmes",
        "Data analyst",
    ],
    Function.MANAGEMENT: ["Directeur·rice d'agence", "Manager d'équipe", "Directeur·rice de site"],
    Function.PRODUCTION: [
        "Responsable de maintenance",
        "Technicien·ne de production",
        "Chef·fe d'atelier",
    ],
    Function.LOGISTICS: ["Responsable d'entrepôt", "Acheteur·se", "Responsable supply chain"],
    Function.ADMIN: ["Assistant·e de direction", "Office manager"],
    Function.LEGAL: ["Juriste", "Avocat·e"],
    Function.CARE: ["Infirmier·ère", "Éducateur·rice spécialisé·e", "Conseiller·ère en insertion"],
    Function.ENGINEERING: ["Ingénieur·e R&D", "Ingénieur·e méthodes", "Chercheur·se"],
    Function.CUSTOMER: ["Responsable service client", "Conseiller·ère clientèle"],
}
EMPLOYERS = {
    Sector.SOCIAL: ["Association Les Trois Ponts", "Centre social du Faubourg"],
    Sector.HEALTH: ["Clinique des Trois Rivières", "Pharmacie du Beffroi", "Centre de santé Arago"],
    Sector.IT: ["Atelier Numérique Flandres", "Datamosaïque", "Logiciels Vauban"],
    Sector.RETAIL: ["Maison Verhaeghe", "Galeries du Nord-Ouest", "Épicerie Fine Carpeaux"],
    Sector.INDUSTRY: ["Textiles Delannoy", "Métallerie Scarpe", "Plasturgie de l'Escaut"],
    Sector.CONSTRUCTION: ["BTP Lemaire Construction", "Charpentes Deûle"],
    Sector.HOSPITALITY: ["Hôtel du Beffroi", "Brasserie des Canonniers"],
    Sector.TRANSPORT: ["Transports Delcourt & Fils", "Nordis Logistique", "Fret Escaut"],
    Sector.FINANCE: ["Caisse Mutuelle du Nord", "Assurances du Littoral", "Banque Flandre-Artois"],
    Sector.PUBLIC: ["Service public de l'emploi", "Collectivité territoriale", "Hôpital public"],
    Sector.EDUCATION: ["Lycée professionnel Jean-Prouvé", "Organisme de formation Cap Métiers"],
    Sector.CULTURE: ["Théâtre de la Citadelle", "Éditions du Vieux-Lille"],
    Sector.AGRICULTURE: ["Coopérative des Weppes", "Paysages & Jardins du Nord"],
    Sector.SERVICES: ["Métropole Conseil", "Cabinet Fidunord", "Agence Ligne Verte"],
}
MENTOR_MOTIVATIONS = [
    "J'ai été aidé·e au début de ma carrière et je souhaite rendre la pareille.",
    "Transmettre mon expérience du recrutement à des personnes qui n'ont pas de réseau.",
    "Mon entreprise encourage le mécénat de compétences ; j'ai envie de m'engager concrètement.",
    "Jeune retraité·e, je veux rester utile et partager mon carnet d'adresses.",
    "Je recrute régulièrement et je vois trop de bons profils écartés faute de codes.",
    "Arrivé·e en France sans réseau, je sais combien un coup de pouce compte.",
    "Envie d'un engagement concret, à côté de mon travail, sur la durée.",
]
MENTEE_MOTIVATIONS = [
    "Je cherche un emploi depuis plus d'un an et je n'ai pas de réseau professionnel.",
    "Je voudrais reprendre confiance en moi pour les entretiens.",
    "Arrivé·e il y a deux ans, je veux comprendre comment fonctionnent les entreprises ici.",
    "J'ai un diplôme mais je n'arrive pas à décrocher un premier poste dans mon domaine.",
    "Je veux changer de métier après un licenciement et je ne sais pas par où commencer.",
    "J'ai un projet de création d'activité et j'ai besoin de conseils.",
    "Mon conseiller m'a parlé du mentorat ; je veux un regard extérieur sur mes candidatures.",
]
NOTES = [
    "Disponible plutôt en fin de journée.",
    "Préfère les rencontres en visio le vendredi.",
    "A déjà été mentor dans une autre association.",
    "Ne peut pas se déplacer le mercredi (garde d'enfants).",
    "Rappeler après les vacances scolaires.",
    "",
]
REFERRERS = {
    "mission-locale-lille": [
        "Mme Nadia Haddad, conseillère",
        "M. Thomas Verhaeghe, conseiller",
        "Mme Élise Dumortier, référente emploi",
    ],
    "antenne-jeunesse-bxl": [
        "Mme Sofie Claes, job coach",
        "M. Youssef Amrani, éducateur",
        "Mme Aurore Delvaux, conseillère",
    ],
}
MENTOR_REJECT_REASONS = [
    "Moins de deux ans d'expérience professionnelle : candidature orientée vers le bénévolat "
    "ponctuel.",
    "Recherche un accompagnement rémunéré (coaching), hors du cadre du mentorat.",
    "Candidature en doublon avec une inscription précédente.",
]
MENTOR_INTERVIEW_REJECTS = [
    "Disponibilité insuffisante pour deux rencontres par mois.",
    "Attentes éloignées du cadre (souhaite placer directement le mentoré en emploi).",
    "Engagement incompatible avec un déménagement prévu dans trois mois.",
]
MENTOR_WITHDRAW_REASONS = [
    "Changement de poste, plus assez disponible.",
    "Déménagement hors de la région.",
    "Raisons personnelles.",
    "Ne donne plus de nouvelles après trois relances.",
    "Préfère reporter son engagement à l'an prochain.",
]
MENTEE_NOT_RETAINED = [
    "Ne souhaite pas réellement être accompagné·e.",
    "Pas disponible pour une recherche à temps plein (formation en cours).",
    "Hors du territoire du programme.",
]
MENTEE_INTERVIEW_REJECTS = [
    "Le mentorat ne répond pas au besoin exprimé (recherche d'un logement avant tout).",
    "Pas disponible pour une recherche d'emploi dans les six prochains mois.",
    "Ne souhaite pas s'engager sur le rythme de deux rencontres par mois.",
]
MENTEE_REDIRECT_REASONS = [
    "Orienté·e vers la Mission Locale pour un accompagnement renforcé.",
    "Besoin prioritaire de cours de français : orienté·e vers un atelier FLE.",
    "Orienté·e vers un accompagnement santé avant la reprise d'emploi.",
    "Projet de création d'entreprise : orienté·e vers une couveuse d'activités.",
    "Orienté·e vers un dispositif de remise à niveau (compétences de base).",
]
MENTEE_WITHDRAW_REASONS = [
    "A trouvé un emploi avant le début du mentorat.",
    "Entrée en formation à temps plein.",
    "Ne répond plus aux relances.",
    "Déménagement.",
    "Raisons familiales.",
]
CANCEL_REASONS = [
    "Le mentoré a trouvé un CDD avant la première rencontre.",
    "Le mentor part en mission à l'étranger pour trois mois.",
    "Incompatibilité d'horaires constatée lors de l'appel de préparation.",
    "Le mentoré est entré en formation à temps plein.",
]
DECLINE_NOTES = {
    DeclineReason.AVAILABILITY: "Période très chargée jusqu'au mois prochain.",
    DeclineReason.DISTANCE: "Plus d'une heure de trajet en transports.",
    DeclineReason.PROFILE: "Ne connaît pas le secteur visé.",
    DeclineReason.EXPECTATIONS: "Attend surtout une aide à l'orientation.",
    DeclineReason.PERSONAL: "",
    DeclineReason.OTHER: "Préfère attendre un profil plus proche de son secteur.",
}
SECTOR_FR = {
    "social": "social et associatif",
    "health": "santé",
    "it": "numérique",
    "retail": "commerce",
    "industry": "industrie",
    "construction": "BTP",
    "hospitality": "hôtellerie-restauration",
    "transport": "transport et logistique",
    "finance": "banque et assurance",
    "public": "service public",
    "education": "éducation",
    "culture": "culture",
    "agriculture": "agriculture et environnement",
    "services": "services aux entreprises",
}
LANGUAGE_FR = {
    "nl": "néerlandais",
    "en": "anglais",
    "ar": "arabe",
    "es": "espagnol",
    "pt": "portugais",
    "de": "allemand",
    "it": "italien",
    "tr": "turc",
    "ro": "roumain",
    "pl": "polonais",
    "ru": "russe",
    "uk": "ukrainien",
    "zh": "chinois",
    "fa": "persan",
    "ta": "tamoul",
    "wo": "wolof",
    "bm": "bambara",
    "ln": "lingala",
    "so": "somali",
    "ti": "tigrigna",
    "ps": "pachto",
}
HOBBY_FR = {
    "sport": "sport",
    "football": "football",
    "music": "musique",
    "reading": "lecture",
    "cinema": "cinéma",
    "cooking": "cuisine",
    "travel": "voyages",
    "gaming": "jeux vidéo",
    "art": "arts",
    "nature": "randonnée",
    "volunteering": "bénévolat",
    "tech": "nouvelles technologies",
}

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
INF = math.inf
MENTOR_ORDER = [MS.APPLIED, MS.INFORMED, MS.INTERVIEWED, MS.TRAINED, MS.READY]
MENTEE_ORDER = [ES.APPLIED, ES.PRESENTED, ES.INTERVIEWED, ES.SELECTED, ES.READY]
# Days ago a candidate applied, by number of steps done (exits: any time in the year).
T0_RANGES = {0: (1, 25), 1: (8, 45), 2: (15, 60), 3: (20, 80), 4: (70, 330), "exit": (15, 330)}

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


def _fold(text):
    text = text.replace("ı", "i").replace("ł", "l").replace("œ", "oe")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum())


class DemoBuilder:
    def __init__(self, *, seed, size):
        self.rng = random.Random(seed)
        self.size = size
        self.sizes = SIZES[size]
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.emails = set()
        self.actives = 0
        self.closures = 0
        self.password_hash = None

    # -- time helpers ---------------------------------------------------------------------

    def at(self, day, hour=None, minute=None):
        """An aware datetime ``day`` days from today, at office hours, never in the future."""
        date = self.today + datetime.timedelta(days=day)
        hour = self.rng.randint(9, 17) if hour is None else hour
        minute = self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50)) if minute is None else minute
        moment = timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour, minute)))
        if day <= 0 and moment >= self.now:
            moment = self.now - datetime.timedelta(minutes=self.rng.randint(30, 300))
        return moment

    def _between(self, start, end):
        """An office-hours moment strictly between ``start`` and ``end`` when possible."""
        moment = self.at(self.rng.randint(self.day(start), self.day(end)))
        if not start < moment < end:
            moment = start + (end - start) * self.rng.uniform(0.2, 0.8)
        return moment

    def day(self, moment):
        return (timezone.localtime(moment).date() - self.today).days

    def weighted(self, weights):
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    # -- build ----------------------------------------------------------------------------

    def build(self):
        self.users = self._users()
        self.orgs = self._organisations()
        for spec in PROGRAMMES:
            self._programme(spec)
        OutboxEmail.objects.filter(
            organisation__slug__in=DEMO_SLUGS, state=OutboxState.QUEUED
        ).update(state=OutboxState.SENT, sent_at=self.now)
        demo.build(self)

    def account(self, email, first, last, *, superuser=False):
        """A demo login with the demo password, hashed once for all (hashing takes ~0.5 s)."""
        if self.password_hash is None:
            self.password_hash = make_password(PASSWORD)
        manager = get_user_model().objects
        create = manager.create_superuser if superuser else manager.create_user
        user = create(email=email, password=None, first_name=first, last_name=last)
        user.password = self.password_hash
        user.save(update_fields=["password"])
        return user

    def _users(self):
        users = {}
        for email, first, last, _org, _role, _what in STAFF:
            users[email] = self.account(email, first, last)
        users[ROOT_EMAIL] = self.account(ROOT_EMAIL, "Root", "Binôme", superuser=True)
        return users

    def _organisations(self):
        orgs = {
            o["slug"]: Organisation.objects.create(kind=OrganisationKind.ASSOCIATION, **o)
            for o in ORGANISATIONS
        }
        for email, _first, _last, slug, role, _what in STAFF:
            Membership.objects.create(
                user=self.users[email],
                organisation=orgs[slug],
                role=role,
                # The read-only partner works for the Mission Locale: it sees the mentees the
                # Mission Locale referred, nobody else.
                partner_organisation=orgs[PARTNER_SLUG] if role == Role.PARTNER else None,
            )
        return orgs

    def _programme(self, spec):
        sizes = self.sizes[spec["key"]]
        fields = {
            k: spec[k]
            for k in (
                "name",
                "public",
                "goals",
                "duration_months",
                "meetings_per_month",
                "meeting_minutes",
                "checkin_interval_days",
                "max_mentees_per_mentor",
                "eligibility_criteria",
                "charter_version",
            )
        }
        programme = Programme.objects.create(
            organisation=self.orgs[spec["org"]],
            mentoring_kinds=list(spec["mentoring_kinds"]),
            created_at=self.at(FIRST_DAY - 30),
            **fields,
        )
        criteria = {}
        for side, rows in spec["criteria"].items():
            criteria[side] = [
                InterviewCriterion.objects.create(
                    programme=programme, side=side, label=label, order=i, is_required=required
                )
                for i, (label, required) in enumerate(rows, start=1)
            ]
        admin = next(s[0] for s in STAFF if s[3] == spec["org"] and s[4] == Role.ADMIN)
        ctx = {
            "spec": spec,
            "programme": programme,
            "criteria": criteria,
            "coordinator": self.users[spec["coordinator"]],
            "admin": self.users[admin],
            "partner": self.orgs.get(spec["partner"]),
            "limit": min(programme.max_mentees_per_mentor, 10),
        }
        self._sessions(ctx)
        # Every step runs at its planned moment as far as the data say (binome.demo.clock).
        self.clock = Clock(latest=self.now - datetime.timedelta(minutes=1))

        pairs = [self._pair_plan(state) for state, n in sizes["pairs"].items() for _ in range(n)]
        pairs.sort(key=lambda p: p.start)
        mentors, mentees = self._assign(ctx, pairs)
        for state, n in sizes["mentors"].items():
            mentors += [self._person(ctx, "mentor", state) for _ in range(n)]
        for state, n in sizes["mentees"].items():
            mentees += [self._person(ctx, "mentee", state) for _ in range(n)]

        self._run_people(ctx, mentors + mentees)
        # Sessions nobody came to were cancelled: drop them, except the last week's.
        programme.sessions.filter(
            starts_at__lt=self.now - datetime.timedelta(days=7), attendances__isnull=True
        ).delete()
        self._run_pairs(ctx, pairs)
        self._run_departures(ctx, mentors + mentees)
        self.clock.apply(MentorTransition, MenteeTransition, Mentor, Mentee, Pair, PairTransition)
        self._check(mentors + mentees, pairs)

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

    # -- dates and checks -----------------------------------------------------------------

    def _check(self, people, pairs):
        """Everyone reached the planned state (read again: the pair services move people)."""
        states = {}
        for model in (Mentor, Mentee):
            pks = [p.obj.pk for p in people if isinstance(p.obj, model)]
            states.update(
                ((model, pk), state)
                for pk, state in model.objects.filter(pk__in=pks).values_list("pk", "state")
            )
        wrong = [p for p in people if states[(type(p.obj), p.obj.pk)] != p.final_state]
        wrong += [p for p in pairs if p.obj.state != p.state]
        if wrong:
            raise CommandError(f"{len(wrong)} demo records did not reach their planned state.")


def delete_demo():
    """Delete the demo organisations, everything in them and the demo accounts."""
    demo.delete()
    orgs = Organisation.objects.filter(slug__in=DEMO_SLUGS)
    Pair.objects.filter(programme__organisation__in=orgs).delete()
    Mentor.objects.filter(programme__organisation__in=orgs).delete()
    Mentee.objects.filter(programme__organisation__in=orgs).delete()
    OutboxEmail.objects.filter(organisation__in=orgs).delete()
    orgs.delete()
    get_user_model().objects.filter(email__in=[s[0] for s in STAFF] + [ROOT_EMAIL]).delete()


class Command(BaseCommand):
    help = (
        "Create demo data: a federation of three associations, four programmes, ~200 mentors, "
        "~250 mentees, ~80 pairs in every state, public registrations in every routing state, "
        "matching runs, plus staff logins. Does nothing if the demo is present."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo organisations and accounts, then rebuild.",
        )
        parser.add_argument(
            "--small", action="store_true", help="A few people per state only (fast; for tests)."
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args, reset, small, seed, **options):
        if Organisation.objects.filter(slug=MAIN_SLUG).exists() and not reset:
            self.stdout.write("Demo data already present (use --reset to rebuild it).")
            return
        started = time.monotonic()
        # The demo's e-mails are history (marked sent): enqueue no delivery task for them.
        with override_settings(TASKS=NO_TASKS), transaction.atomic():
            delete_demo()
            DemoBuilder(seed=seed, size="small" if small else "full").build()
        elapsed = time.monotonic() - started
        self._summary()
        self.stdout.write(self.style.SUCCESS(f"Demo data built in {elapsed:.1f} s."))

    def _summary(self):
        orgs = Organisation.objects.filter(slug__in=[*DEMO_SLUGS, *demo.ORG_SLUGS])
        w = self.stdout.write
        for title, model, states in (
            ("Mentors", Mentor, MentorState),
            ("Mentees", Mentee, MenteeState),
            ("Pairs", Pair, PairState),
        ):
            rows = model.objects.filter(programme__organisation__in=orgs)
            counts = Counter(rows.values_list("state", flat=True))
            w(
                f"{title} ({sum(counts.values())}): "
                + ", ".join(f"{s.value} {counts.get(s.value, 0)}" for s in states)
            )
        for programme in Programme.objects.filter(organisation__in=orgs).select_related(
            "organisation"
        ):
            w(
                f"  {programme.organisation.name} / {programme.name}: "
                f"{programme.mentors.count()} mentors, {programme.mentees.count()} mentees, "
                f"{programme.pairs.count()} pairs, {programme.sessions.count()} sessions"
            )
        demo.summary(w, DEMO_SLUGS)
        w(f"Logins (password “{PASSWORD}”):")
        for email, _first, _last, _org, _role, what in STAFF:
            w(f"  {email:32} {what}")
        for email, what in demo.LOGINS:
            w(f"  {email:32} {what}")
        w(f"  {ROOT_EMAIL:32} superuser (Django admin)")
