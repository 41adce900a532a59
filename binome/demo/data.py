"""The demo's fixed data: organisations, staff logins, programmes, sizes and places."""

from binome.organisations.enums import Role
from binome.pairs.enums import PairState
from binome.people.enums import MenteeState, MentorState, SessionKind
from binome.programmes.enums import MentoringKind, Side

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
