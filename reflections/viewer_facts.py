"""What a shared fragment asks about its viewer (the facts of ``{% personal %}`` blocks, see
learning_lead/fragments.py): each one query for all the keys a page holds, asked only when the
page shows such a block."""

from reflections.models import PulseAnswered, Vote


class ViewerFacts(dict):
    """The facts for one viewer. A view that renders the fragment afresh can note what it
    already knows (``known_votes``), saving the query."""

    def __init__(self, user):
        self.votes: set | None = None
        super().__init__(
            # Questions the viewer wants to know too.
            voted=lambda ids: (
                self.votes
                if self.votes is not None
                else Vote.objects.filter(user=user, question_id__in=ids).values_list(
                    "question_id", flat=True
                )
            ),
            # Held sessions whose pulse the viewer has answered.
            pulse=lambda ids: PulseAnswered.objects.filter(
                user=user, session_id__in=ids
            ).values_list("session_id", flat=True),
        )

    def known_votes(self, questions) -> None:
        """The viewer's votes, from questions fetched with `has_voted` for this viewer."""
        self.votes = {question.pk for question in questions if question.has_voted}
