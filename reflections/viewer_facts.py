"""What a shared fragment asks about its viewer (the facts of ``{% personal %}`` blocks, see
learning_lead/fragments.py): each one query for all the keys a page holds, asked only when the
page shows such a block."""

from reflections.models import PulseAnswered, Vote


def for_viewer(user) -> dict:
    return {
        # Questions the viewer wants to know too.
        "voted": lambda ids: Vote.objects.filter(user=user, question_id__in=ids).values_list(
            "question_id", flat=True
        ),
        # Held sessions whose pulse the viewer has answered.
        "pulse": lambda ids: PulseAnswered.objects.filter(
            user=user, session_id__in=ids
        ).values_list("session_id", flat=True),
    }
