"""Controlled vocabularies for the matching attributes (codes are stable, labels translated).

The codes are what the matching engine compares (``specs/matching.md``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    SOCIAL = "social", _("Social and non-profit")
    HEALTH = "health", _("Health")
    IT = "it", _("Digital and IT")
    RETAIL = "retail", _("Retail")
    INDUSTRY = "industry", _("Industry")
    CONSTRUCTION = "construction", _("Construction")
    HOSPITALITY = "hospitality", _("Hotels and restaurants")
    TRANSPORT = "transport", _("Transport and logistics")
    FINANCE = "finance", _("Banking and insurance")
    PUBLIC = "public", _("Public service")
    EDUCATION = "education", _("Education and training")
    CULTURE = "culture", _("Culture and media")
    AGRICULTURE = "agriculture", _("Agriculture and environment")
    SERVICES = "services", _("Business services")


class Function(models.TextChoices):
    HR = "hr", _("Human resources")
    SALES = "sales", _("Sales")
    MARKETING = "marketing", _("Marketing and communication")
    FINANCE = "finance", _("Finance and accounting")
    IT = "it", _("IT and development")
    MANAGEMENT = "management", _("Management")
    PRODUCTION = "production", _("Production and maintenance")
    LOGISTICS = "logistics", _("Logistics and purchasing")
    ADMIN = "admin", _("Administration")
    LEGAL = "legal", _("Legal")
    CARE = "care", _("Care and support")
    ENGINEERING = "engineering", _("Engineering and research")
    CUSTOMER = "customer", _("Customer service")


class Language(models.TextChoices):
    FR = "fr", _("French")
    NL = "nl", _("Dutch")
    EN = "en", _("English")
    AR = "ar", _("Arabic")
    ES = "es", _("Spanish")
    PT = "pt", _("Portuguese")
    DE = "de", _("German")
    IT = "it", _("Italian")
    TR = "tr", _("Turkish")
    RO = "ro", _("Romanian")
    PL = "pl", _("Polish")
    RU = "ru", _("Russian")
    UK = "uk", _("Ukrainian")
    ZH = "zh", _("Chinese")
    FA = "fa", _("Persian")
    TA = "ta", _("Tamil")
    WO = "wo", _("Wolof")
    BM = "bm", _("Bambara")
    LN = "ln", _("Lingala")
    SO = "so", _("Somali")
    TI = "ti", _("Tigrinya")
    PS = "ps", _("Pashto")


class Hobby(models.TextChoices):
    SPORT = "sport", _("Sport")
    FOOTBALL = "football", _("Football")
    MUSIC = "music", _("Music")
    READING = "reading", _("Reading")
    CINEMA = "cinema", _("Cinema and series")
    COOKING = "cooking", _("Cooking")
    TRAVEL = "travel", _("Travel")
    GAMING = "gaming", _("Video games")
    ART = "art", _("Drawing and arts")
    NATURE = "nature", _("Nature and hiking")
    VOLUNTEERING = "volunteering", _("Volunteering")
    TECH = "tech", _("New technologies")


class Expectation(models.TextChoices):
    FIND_JOB = "find-job", _("Find a job")
    CONFIDENCE = "confidence", _("Gain self-confidence")
    NETWORK = "share-network", _("Build a professional network")
    ORIENTATION = "orientation", _("Clarify a career plan")
    COMPANY_CODES = "company-codes", _("Understand how companies work")
    TRAINING = "training", _("Find a training course")
    TRANSMIT = "transmit", _("Pass on experience")


class Support(models.TextChoices):
    """The five kinds of support (MentorU)."""

    TECHNICAL = "technical", _("Technical: CV, cover letters, interviews")
    OBJECTIVE = "objective", _("Objective: review of the job search and the project")
    CONCRETE = "concrete", _("Concrete: company codes and culture, sector knowledge")
    PSYCHO = "psycho", _("Personal: confidence and assertiveness")
    RELATIONAL = "relational", _("Relational: opening a network")


class RecruitmentChannel(models.TextChoices):
    LINKEDIN = "linkedin", _("LinkedIn")
    WORD_OF_MOUTH = "word_of_mouth", _("Word of mouth")
    PARTNER = "partner", _("Referred by a partner")
    WEBSITE = "website", _("Website")
    EVENT = "event", _("Event")
    COMPANY = "company", _("Employer (skills sponsorship)")
    ALUMNI = "alumni", _("Former mentee")
    PLATFORM = "platform", _("Federation platform")
    OTHER = "other", _("Other")


class Situation(models.TextChoices):
    JOB_SEEKER = "job_seeker", _("Job seeker")
    STUDENT = "student", _("Student")
    HIGH_SCHOOL = "high_school", _("High-school pupil")
    VOCATIONAL = "vocational", _("Vocational high-school pupil")
    NEET = "neet", _("Neither in work nor in training")
    EMPLOYED = "employed", _("In work, looking for another job")
    OTHER = "other", _("Other")
