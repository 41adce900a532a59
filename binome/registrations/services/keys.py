"""Keyed hashes: the dedup key of a person in a role, the source address, the rate limit."""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from binome.registrations.enums import KIND_SIDE, RegistrationKind
from binome.registrations.models import Registration


def _keyed_hash(*parts):
    key = settings.SECRET_KEY.encode()
    message = "\x1f".join(p.strip().casefold() for p in parts).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def dedup_key(kind, data):
    """Same person, same role → same key. A referral is keyed on the referrer and the
    young person's name, so a professional can register several young people."""
    side = KIND_SIDE[kind]
    if kind == RegistrationKind.REFERRAL:
        return _keyed_hash(
            side,
            data.get("referrer_email", ""),
            data.get("first_name", ""),
            data.get("last_name", ""),
        )
    if kind == RegistrationKind.COMPANY:
        return _keyed_hash("company", data.get("email", ""))
    return _keyed_hash(side, data.get("email", ""))


def source_hash(address):
    return _keyed_hash("source", address or "") if address else ""


def is_rate_limited(*, source_ip):
    """Per client address: ``BINOME_REGISTRATION_MAX_PER_IP_PER_HOUR`` new requests an hour
    (default 20; 0 turns it off, e.g. for the benchmark). The address is kept only as a keyed
    hash. The per-e-mail limit is checked by ``submit_registration``."""
    per_ip = getattr(settings, "BINOME_REGISTRATION_MAX_PER_IP_PER_HOUR", 20)
    if not (per_ip and source_ip):
        return False
    recent = Registration.objects.filter(
        source_hash=source_hash(source_ip),
        created_at__gte=timezone.now() - datetime.timedelta(hours=1),
    ).count()
    return recent >= per_ip
