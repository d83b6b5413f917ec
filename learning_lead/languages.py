"""Which language a page or a message is in: the person's own choice first, then what the
browser asks for (sv and sv-SE get Finland's Swedish), then the organisation's language."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop, trans_real

# Each language's name in itself, as the pickers show it whatever the page's language.
AUTONYMS = {"fi": "Suomi", "sv-fi": "Svenska", "en": "English"}


def language_choices() -> list[tuple[str, str]]:
    return [(code, AUTONYMS.get(code, str(name))) for code, name in settings.LANGUAGES]


def chosen_language(request) -> str | None:
    """The language the visitor picked with the language switch (its cookie), if ours."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not code or not trans_real.language_code_re.search(code):
        return None
    try:
        return trans_real.get_supported_language_variant(code)
    except LookupError:
        return None


def browser_language(request) -> str | None:
    """The language the visitor's cookie or browser asks for, if we have it; None when it
    asks for none of ours (Django's own negotiation would then fall back to LANGUAGE_CODE)."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    accept = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    wanted = [cookie] if cookie else []
    wanted += [code for code, _q in trans_real.parse_accept_lang_header(accept) if code != "*"]
    for code in wanted:
        if not trans_real.language_code_re.search(code):
            continue
        try:
            return trans_real.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def language_for(user, request=None) -> str:
    """The language to address `user` in; `request` lets the browser speak before the
    organisation when the person has not chosen."""
    if user.language:
        return user.language
    if request is not None and (asked := browser_language(request)):
        return asked
    organization = getattr(user, "organization", None)
    return organization.language if organization else settings.LANGUAGE_CODE


def activate_for_visitor(request, language: str) -> None:
    """Shows the page in `language`, which the sender of a link chose for its reader (an
    invitation's), unless the visitor is signed in or picked a language with the switch:
    their choice comes first, the browser's Accept-Language does not."""
    if request.user.is_authenticated:
        return
    language = chosen_language(request) or language
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()


# Django 6's blank choice in select fields; Django's own fi and sv catalogues lack it, so ours
# translate it (this keeps it in ours when the messages are made again).
BLANK_CHOICE = gettext_noop("- Select an option -")
