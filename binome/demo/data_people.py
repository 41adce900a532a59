"""The demo people's names, employers and the texts written about them (notes, reasons)."""

from dataclasses import dataclass

from binome.pairs.enums import DeclineReason
from binome.people.vocab import Function, Sector


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
