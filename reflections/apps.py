from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReflectionsConfig(AppConfig):
    name = "reflections"
    verbose_name = _("Reflections")

    def ready(self):
        from learning_lead import fragments
        from reflections import question_page, session_page

        # The questions list and the session page are filled by their writers
        # (docs/caching.md): again after a change of their team or of what they show.
        fragments.fill_after("team", question_page.fill)
        fragments.fill_after("questions", question_page.fill)
        fragments.fill_after("team", session_page.fill_team)
        fragments.fill_after("session", session_page.fill)
