"""Shared set-up for the matching app tests."""

from binome.matching import services
from tests.factories import MenteeFactory, MentorFactory, UserFactory


def people(programme, mentors=2, mentees=2, **kwargs):
    """Ready mentors and mentees in Lille, all compatible."""
    ms = [MentorFactory(programme=programme, ready=True, **kwargs) for _ in range(mentors)]
    es = [MenteeFactory(programme=programme, ready=True) for _ in range(mentees)]
    return ms, es


def done_run(programme, capture, user=None):
    """A run computed through the task (the immediate backend runs it on commit)."""
    user = user or UserFactory()
    with capture(execute=True):
        run = services.start_run(programme, acting_user=user)
    run.refresh_from_db()
    return run
