"""List pages keep a constant number of SQL queries as rows grow."""

import pytest
from django.urls import reverse

from binome.people.enums import SessionKind
from tests.factories import (
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    PairFactory,
    ProgrammeFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

# session, user, membership + organisation, count, page, programmes of the filter
EXPECTED = {
    "staff:mentors:list": 6,
    "staff:mentees:list": 6,
    "staff:pairs:list": 6,
    "staff:sessions:list": 6,
}
MAKERS = {
    "staff:mentors:list": lambda p: MentorFactory(programme=p),
    "staff:mentees:list": lambda p: MenteeFactory(programme=p),
    "staff:pairs:list": lambda p: PairFactory(programme=p),
    "staff:sessions:list": lambda p: SessionFactory(programme=p, kind=SessionKind.TRAINING),
}


@pytest.mark.parametrize("url_name", list(EXPECTED))
@pytest.mark.parametrize("item_count", [1, 50])
def test_list_query_count(client, django_assert_num_queries, url_name, item_count):
    membership = MembershipFactory()
    programme = ProgrammeFactory(organisation=membership.organisation)
    for _ in range(item_count):
        MAKERS[url_name](programme)
    client.force_login(membership.user)
    with django_assert_num_queries(EXPECTED[url_name]):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == min(item_count, 25)
