"""Browser journeys: Playwright drives Debian's Chromium (the session's one ``browser`` is in
tests/conftest.py, shared by every browser test of any package); axe-core checks accessibility."""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def follow(page, locator):
    """Click a link or a submit button and wait until the page it leads to has loaded
    (after redirects), so the next check runs on that page, not on the one being left."""
    with page.expect_navigation(wait_until="load"):
        locator.click()


def check_axe(page):
    """Run axe on the current page; fail with the list of WCAG 2.1 A/AA violations."""
    from playwright.sync_api import Error

    for attempt in range(3):
        # A navigation still in flight destroys the page axe is injected into: wait, retry.
        page.wait_for_load_state("load")
        try:
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
            )
            break
        except Error:
            if attempt == 2:
                raise
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            f"{n['target']} {n['html'][:120]} {n.get('failureSummary', '')[:200]}"
            for n in v["nodes"][:3]
        )
        for v in result["violations"]
    ]
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


def pick_place(page, label, typed, choice):
    """Type a few letters in a town field and choose a suggestion, as a person does."""
    box = page.get_by_role("combobox", name=label)
    box.fill("")
    box.press_sequentially(typed, delay=50)
    page.get_by_role("option", name=choice, exact=True).click()
    assert box.input_value() == choice


def switch_language(page, button):
    """Press the header's language button; the visitor stays on the same page."""
    path = page.url
    follow(page, page.get_by_role("button", name=button))
    assert page.url == path


def assert_fits(page, width=320):
    """Nothing wider than a phone of `width` pixels: no horizontal scrolling."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: {scroll} px wide at {width} px"
