import pytest
from django.core.exceptions import PermissionDenied

from binome.core.models import ActivityLog
from binome.core.services import log_activity
from tests.factories import MentorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_activity_log_is_append_only():
    entry = log_activity(MentorFactory(), "viewed", acting_user=UserFactory())
    entry.verb = "changed"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        ActivityLog.objects.all().delete()
    with pytest.raises(PermissionDenied):
        ActivityLog.objects.update(verb="x")
    assert ActivityLog.objects.get().verb == "viewed"


def test_activity_log_holds_no_personal_data():
    mentor = MentorFactory(first_name="Zéphyrine", email="zephyrine@example.org")
    entry = log_activity(mentor, "viewed", acting_user=UserFactory())
    text = f"{entry} {entry.data}"
    assert "Zéphyrine" not in text
    assert "zephyrine@" not in text
