"""What a shared fragment asks about its viewer (the facts of ``{% personal %}`` blocks, see
learning_lead/fragments.py): each one query for all the keys a page holds, asked only when the
page shows such a block."""

from learning_lead import compiled
from reflections.models import PulseAnswered, Vote


def _answered_in(user_id: int, session_ids):
    return PulseAnswered.objects.filter(user_id=user_id, session_id__in=session_ids).values_list(
        "session_id", flat=True
    )


# The session page asks about its one session on every request: compiled once per process
# (learning_lead/compiled.py), the same query with one id.
_ANSWERED_ONE = compiled.Compiled(lambda user_id, session_id: _answered_in(user_id, [session_id]))


def _pulse_answered(user, ids: set[str]):
    if len(ids) == 1:
        return _ANSWERED_ONE(user_id=user.pk, session_id=int(next(iter(ids))))
    return _answered_in(user.pk, ids)


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
            pulse=lambda ids: _pulse_answered(user, ids),
        )

    def known_votes(self, questions) -> None:
        """The viewer's votes, from questions fetched with `has_voted` for this viewer."""
        self.votes = {question.pk for question in questions if question.has_voted}
