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


# Runs in the page after each Tab: where focus went, whether it shows, whether it moved on in
# the direction of travel (document order forwards, the reverse with Shift+Tab).
_FOCUS_PROBE = """backward => {
  const el = document.activeElement;
  const prev = window.__kbdPrevious;
  let inOrder = true;
  if (prev && prev.isConnected && el && el !== document.body && prev !== el) {
    const following = Boolean(prev.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    inOrder = backward ? !following : following;
  }
  window.__kbdPrevious = el;
  window.__kbdSeen = true;
  if (!el || el === document.body) return {tag: "BODY", inOrder, visible: false, onScreen: false};
  const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const rect = el.getBoundingClientRect();
  return {
    tag: el.tagName,
    label: (el.getAttribute("aria-label") || el.innerText || el.name || el.id || "")
      .trim().slice(0, 60),
    inOrder,
    // Date and time fields hold focus in their parts (segments, the picker button).
    visible: (el.matches(":focus-visible") || el.matches("input:focus-within"))
      && (outlined || style.boxShadow !== "none"),
    onScreen: rect.width > 0 && rect.height > 0 && rect.right > 0 && rect.bottom > 0,
    skipLink: el.classList.contains("skip-link"),
  };
}"""

# Whether `el` comes before the focused element (true), after it (false), or nothing useful
# has focus (null): which way a person would Tab to reach it.
_BEFORE_FOCUS = """el => {
  const ref = document.activeElement;
  if (!ref || ref === document.body || ref === el) return null;
  return Boolean(el.compareDocumentPosition(ref) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


@dataclass
class Keyboard:
    page: Page
    max_tabs: int = 150
    name: str = "keyboard"
    # Every stop of focus, as (page path, tag, label), for the test to print or inspect.
    stops: list[tuple[str, str, str]] = field(default_factory=list)

    def _tab(self, backward: bool = False) -> dict:
        self.page.keyboard.press("Shift+Tab" if backward else "Tab")
        stop = self.page.evaluate(_FOCUS_PROBE, backward)
        self.stops.append((self.page.url, stop["tag"], stop.get("label", "")))
        where = f"{stop['tag']} “{stop.get('label', '')}” on {self.page.url}"
        if stop["tag"] == "BODY":  # past the last control: the browser's own stop
            return stop
        assert stop["visible"], f"focus is not visible on {where}"
        assert stop["onScreen"], f"focused element is off screen: {where}"
        assert stop["inOrder"] or stop["skipLink"], f"Tab jumped out of document order to {where}"
        return stop

    def _on_new_page(self) -> bool:
        """True on a page not yet walked where focus starts at the top (no autofocus)."""
        return self.page.evaluate(
            """() => {
                const fresh = !window.__kbdSeen;
                window.__kbdSeen = true;
                return fresh && document.activeElement === document.body;
            }"""
        )

    def _skip_link_first(self, into_main: bool) -> None:
        first = self._tab()
        assert first.get("skipLink"), f"first Tab on {self.page.url} reached {first}"
        if into_main:
            self.page.keyboard.press("Enter")
            assert self.page.evaluate("() => document.activeElement.tagName") == "MAIN", (
                "the skip link did not move focus to the main content"
            )

    def focus(self, target: Locator) -> None:
        target.wait_for(state="visible")
        if self._on_new_page():
            # A new page: the first Tab lands on the skip link; Enter jumps into <main>.
            self._skip_link_first(into_main=target.evaluate("el => Boolean(el.closest('main'))"))
        backward = bool(target.evaluate(_BEFORE_FOCUS))
        for _ in range(self.max_tabs):
            if target.evaluate("el => el === document.activeElement"):
                return
            self._tab(backward)
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
        if target.get_attribute("type") != "radio":
            if not target.is_checked():
                self.click(target)
            return
        # Tab stops once in a radio group (on the chosen one); arrows move and choose.
        name = target.get_attribute("name")
        in_group = "n => document.activeElement?.matches(`input[type=radio][name='${n}']`)"
        if self._on_new_page():
            self._skip_link_first(into_main=True)
        for _ in range(self.max_tabs):
            if self.page.evaluate(in_group, name):
                break
            self._tab()
        for _ in range(12):
            if target.is_checked():
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"arrows never chose {target}")

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
