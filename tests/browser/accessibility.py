"""axe-core (bundled by axe-playwright-python) against the WCAG 2.0 and 2.1 A and AA rules, and
its best practices (landmarks around all content, headings in order)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                "best-practice"]},
         "resultTypes": ["violations"]}
_AXE = Axe()


def violations(page: Page) -> list[str]:
    """One readable line per element that breaks a rule on the page as it is now."""
    found = _AXE.run(page, options=RULES).response["violations"]
    return [f"{page.url}: {rule['id']} ({rule['impact']}): {rule['help']}: "
            f"{', '.join(map(str, node['target']))}: {node['html'][:160]}"
            for rule in found for node in rule["nodes"]]


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
