import pytest


def pytest_collection_modifyitems(items):
    # Browser journeys share one worker so two Chromium instances never compete for 2 cores.
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("e2e"))
