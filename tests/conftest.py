import pytest


def pytest_collection_modifyitems(config, items):
    # Browser journeys share one worker so two Chromium instances never compete for 2 cores.
    if not config.pluginmanager.hasplugin("xdist"):
        return  # -p no:xdist: one process anyway (and no xdist_group marker)
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("e2e"))
