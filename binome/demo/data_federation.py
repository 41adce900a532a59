"""The federation demo's fixed data: the federation, its members and logins, the Tandem
programme, the offers and the registration stories (see ``federation`` and ``registrations``)."""

from binome.organisations.enums import Role
from binome.people.enums import SessionKind
from binome.programmes.enums import MentoringKind, Side
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
