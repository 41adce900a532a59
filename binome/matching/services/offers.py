"""Offers to mentors: the signed link, its e-mail, the mentor's answer, reminders."""

import datetime
from collections import Counter

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.services import log_activity
from binome.matching.adapter import settings_for
from binome.matching.enums import ExclusionSource
from binome.matching.models import MatchExclusion, MentorOffer
from binome.notifications.services import queue_email
from binome.pairs import services as pair_services
from binome.pairs.enums import PairState

OFFER_SALT = "binome.matching.offer"


def _propose(mentor, mentee, *, acting_user, note):
    """propose_pair without its generic e-mail: the matching offer carries the mentor's link."""
    return pair_services.propose_pair(
        mentor, mentee, acting_user=acting_user, note=note, notify=False
    )


def _site_url(site_url):
    """The address the staff published from (validated host), else the configured one."""
    return (site_url or settings.BINOME_SITE_URL or "").rstrip("/")


def offer_link(offer):
    signed = signing.TimestampSigner(salt=OFFER_SALT).sign(offer.token)
    return _site_url(offer.site_url) + reverse("portal:offer", args=[signed])


def _email_offer(offer, template):
    pair = offer.pair
    mentor = pair.mentor
    if not mentor.email:
        return None
    organisation = pair.programme.organisation
    ms = settings_for(pair.programme)
    return queue_email(
        to=mentor.email,
        template=template,
        context={
            "person": mentor,
            "organisation": organisation,
            "programme": pair.programme,
            "link": offer_link(offer),
            "reply_days": ms.reply_days,
            "valid_days": ms.link_valid_days,
        },
        category=template.rsplit("/", 1)[-1],
        organisation=organisation,
    )


def send_offer(pair, *, run=None, site_url="", acting_user=None):
    """Record the offer of a proposed pair and e-mail the mentor the signed link."""
    offer = MentorOffer.objects.create(
        pair=pair, run=run, site_url=site_url[:200], sent_at=timezone.now()
    )
    _email_offer(offer, "emails/matching_offer")
    log_activity(
        offer, "offer_sent", acting_user=acting_user, organisation=pair.programme.organisation
    )
    return offer


class OfferLinkError(Exception):
    """The link is unknown, tampered with or expired; ``expired`` says which."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def offer_from_link(signed):
    """The offer behind a signed link; OfferLinkError when tampered with, unknown or expired."""
    signer = signing.TimestampSigner(salt=OFFER_SALT)
    try:
        token = signer.unsign(signed)
    except signing.BadSignature as exc:
        raise OfferLinkError() from exc
    offer = (
        MentorOffer.objects.select_related(
            "pair__programme__organisation", "pair__mentor", "pair__mentee"
        )
        .filter(token=token)
        .first()
    )
    if offer is None:
        raise OfferLinkError()
    max_age = datetime.timedelta(days=settings_for(offer.pair.programme).link_valid_days)
    try:
        signer.unsign(signed, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise OfferLinkError(expired=True) from exc
    except signing.BadSignature as exc:  # pragma: no cover - checked above
        raise OfferLinkError() from exc
    return offer


def mentor_reply(offer, *, accept, reason="", note=""):
    """The mentor's answer through the link. A decline excludes the pair from future runs."""
    with transaction.atomic():
        offer = (
            MentorOffer.objects.select_for_update(of=("self", "pair"))
            .select_related("pair__programme__organisation", "pair__mentor")
            .get(pk=offer.pk)
        )
        pair = offer.pair
        if offer.answered_at or pair.state != PairState.PROPOSED:
            raise ValidationError(_("This proposal has already been answered."))
        user = pair.mentor.user
        if accept:
            pair = pair_services.accept_by_mentor(pair, acting_user=user)
        else:
            pair = pair_services.decline_by_mentor(pair, acting_user=user, reason=reason, note=note)
            MatchExclusion.objects.get_or_create(
                mentor_id=pair.mentor_id,
                mentee_id=pair.mentee_id,
                defaults={"source": ExclusionSource.DECLINED, "reason": reason},
            )
        offer.answered_at = timezone.now()
        offer.save(update_fields=["answered_at"])
        log_activity(
            offer,
            "offer_answered",
            acting_user=user,
            organisation=pair.programme.organisation,
            accepted=bool(accept),
        )
    return pair


def remind_unanswered(*, now=None):
    """Offers unanswered after the programme's delay get a reminder; after a second delay
    they go back to the staff (flagged on the matching page, e-mail to the association)."""
    now = now or timezone.now()
    counts = Counter()
    offers = MentorOffer.objects.waiting().filter(escalated_at__isnull=True)
    for offer_id in offers.values_list("pk", flat=True):
        with transaction.atomic():
            offer = (
                MentorOffer.objects.waiting()
                .select_for_update(of=("self", "pair"))
                .select_related("pair__programme__organisation", "pair__mentor")
                .filter(pk=offer_id, escalated_at__isnull=True)
                .first()
            )
            if offer is None:
                continue
            delay = datetime.timedelta(days=settings_for(offer.pair.programme).reply_days)
            organisation = offer.pair.programme.organisation
            if offer.reminded_at is None and now - offer.sent_at >= delay:
                offer.reminded_at = now
                offer.save(update_fields=["reminded_at"])
                _email_offer(offer, "emails/matching_reminder")
                log_activity(offer, "offer_reminded", acting_user=None, organisation=organisation)
                counts["reminded"] += 1
            elif offer.reminded_at is not None and now - offer.reminded_at >= delay:
                offer.escalated_at = now
                offer.save(update_fields=["escalated_at"])
                if organisation.email:
                    queue_email(
                        to=organisation.email,
                        template="emails/matching_unanswered",
                        context={
                            "organisation": organisation,
                            "offer": offer,
                            "matching_url": _site_url(offer.site_url)
                            + reverse("staff:matching:home"),
                        },
                        category="matching_unanswered",
                        organisation=organisation,
                    )
                log_activity(offer, "offer_escalated", acting_user=None, organisation=organisation)
                counts["escalated"] += 1
    return dict(counts)
