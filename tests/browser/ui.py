"""How a test operates the page: with a pointer (Playwright clicks and fills) or with the
keyboard only (Tab, Shift+Tab, Enter, Space, arrows and typing).

Journeys are written once against this small interface, so the same steps run both ways.
The keyboard driver also checks, at every Tab, that focus is visible, on screen, and moves
forward in document order, and that the first Tab on each page reaches the skip link.
"""

from dataclasses import dataclass, field

from django.utils import translation
from playwright.sync_api import Locator, Page


def t(lang: str, message: str, **values) -> str:
    """The text the app shows for `message` in `lang` (msgids from the .po files)."""
    with translation.override(lang):
        text = translation.gettext(message)
    return text % values if values else text


class Pointer:
    name = "pointer"

    def __init__(self, page: Page):
        self.page = page

    def click(self, target: Locator) -> None:
        target.click()

    def fill(self, target: Locator, text: str) -> None:
        target.fill(text)

    def check(self, target: Locator) -> None:
        target.check()

    def select(self, target: Locator, value: str) -> None:
        target.select_option(value)


# Runs in the page after each Tab: where focus went, whether it shows, whether it moved forward.
_FOCUS_PROBE = """() => {
  const el = document.activeElement;
  const prev = window.__kbdPrevious;
  let forward = true;
  if (prev && prev.isConnected && el && prev !== el) {
    forward = Boolean(prev.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  }
  window.__kbdPrevious = el;
  window.__kbdSeen = true;
  if (!el || el === document.body) return {tag: "BODY", forward, visible: false, onScreen: false};
  const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const rect = el.getBoundingClientRect();
  return {
    tag: el.tagName,
    label: (el.getAttribute("aria-label") || el.innerText || el.name || el.id || "")
      .trim().slice(0, 60),
    forward,
    visible: el.matches(":focus-visible") && (outlined || style.boxShadow !== "none"),
    onScreen: rect.width > 0 && rect.height > 0 && rect.right > 0 && rect.bottom > 0,
    skipLink: el.classList.contains("skip-link"),
    inMain: Boolean(el.closest("main")) || el.tagName === "MAIN",
  };
}"""


@dataclass
class Keyboard:
    page: Page
    max_tabs: int = 150
    name: str = "keyboard"
    # Every stop of focus, as (page path, tag, label), for the test to print or inspect.
    stops: list[tuple[str, str, str]] = field(default_factory=list)

    def _probe(self) -> dict:
        return self.page.evaluate(_FOCUS_PROBE)

    def _tab(self) -> dict:
        self.page.keyboard.press("Tab")
        stop = self._probe()
        self.stops.append((self.page.url, stop["tag"], stop.get("label", "")))
        where = f"{stop['tag']} “{stop.get('label', '')}” on {self.page.url}"
        if stop["tag"] != "MAIN":
            assert stop["visible"], f"focus is not visible on {where}"
            assert stop["onScreen"], f"focused element is off screen: {where}"
        assert stop["forward"], f"Tab moved focus backwards in the document, to {where}"
        return stop

    def _is_focused(self, target: Locator) -> bool:
        return target.evaluate("el => el === document.activeElement")

    def focus(self, target: Locator) -> None:
        target.wait_for(state="visible")
        if not self.page.evaluate("() => Boolean(window.__kbdSeen)"):
            # A new page: the first Tab lands on the skip link; Enter jumps into <main>.
            self.page.evaluate("() => { window.__kbdPrevious = null; }")
            first = self._tab()
            assert first.get("skipLink"), f"first Tab on {self.page.url} reached {first}"
            if target.evaluate("el => Boolean(el.closest('main'))"):
                self.page.keyboard.press("Enter")
                assert self._probe()["tag"] == "MAIN", "the skip link did not move focus"
        for _ in range(self.max_tabs):
            if self._is_focused(target):
                return
            self._tab()
        raise AssertionError(f"Tab never reached {target} on {self.page.url}")

    def click(self, target: Locator) -> None:
        self.focus(target)
        kind = target.evaluate("el => (el.type || el.tagName).toLowerCase()")
        self.page.keyboard.press("Space" if kind in ("checkbox", "radio") else "Enter")

    def fill(self, target: Locator, text: str) -> None:
        self.focus(target)
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def check(self, target: Locator) -> None:
        if target.get_attribute("type") == "radio":
            # Tab enters a radio group once; arrows move within it and choose.
            name = target.get_attribute("name")
            for _ in range(self.max_tabs):
                if self.page.evaluate(
                    "n => document.activeElement?.name === n && document.activeElement.type"
                    " === 'radio'",
                    name,
                ):
                    break
                self.focus_next()
            for _ in range(12):
                if target.is_checked():
                    return
                self.page.keyboard.press("ArrowDown")
            raise AssertionError(f"arrows never chose {target}")
        if not target.is_checked():
            self.focus(target)
            self.page.keyboard.press("Space")

    def select(self, target: Locator, value: str) -> None:
        self.focus(target)
        values = target.evaluate("el => [...el.options].map(o => o.value)")
        for _ in range(len(values)):
            current = target.input_value()
            if current == value:
                return
            key = "ArrowDown" if values.index(value) > values.index(current) else "ArrowUp"
            self.page.keyboard.press(key)
        assert target.input_value() == value, f"arrows never chose {value} in {target}"

    def focus_next(self) -> None:
        if not self.page.evaluate("() => Boolean(window.__kbdSeen)"):
            first = self._tab()
            assert first.get("skipLink"), f"first Tab on {self.page.url} reached {first}"
            self.page.keyboard.press("Enter")
        self._tab()
