"""Mentor–mentee matching. The pure engine lives in ``binome.matching.engine`` (no Django)."""
