"""Built-in reflection prompts. Stored on sessions by key, so each person reads them in their own
language."""

from django.utils.translation import gettext_lazy as _

BUILTIN_PROMPTS = {
    "learned": _("What did we learn?"),
    "unfinished": _("What is still unfinished?"),
    "next": _("What will we try next?"),
    "surprised": _("What surprised us?"),
    "help": _("Where would we need help or someone else's view?"),
    "strategy": _("How does this move our team's goals forward?"),
}
DEFAULT_PROMPT_KEYS = ["learned", "unfinished", "next"]
