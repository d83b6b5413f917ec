"""The repeated items of the direction view and "my learning", built in Python
(reflections/goal_html.py); templates/teams/goal_items/ holds their reference templates."""

from django import template

from reflections import goal_html

register = template.Library()


@register.simple_tag
def shared_goal_items(goals, goal_path):
    return goal_html.shared_goals(goals, goal_path)


@register.simple_tag
def recent_checkin_items(checkins):
    return goal_html.recent_checkins(checkins)


@register.simple_tag
def team_goal_thought_items(thoughts):
    return goal_html.team_goal_thoughts(thoughts)


@register.simple_tag
def my_goal_thought_items(thoughts):
    return goal_html.my_goal_thoughts(thoughts)


@register.simple_tag
def my_goal_card(goal):
    return goal_html.my_goal(goal)


@register.simple_tag(takes_context=True)
def goal_article(context, item):
    return goal_html.goal_article(
        item,
        leads=context["leads"],
        quiet_days=context["quiet_days"],
        goal_path=context["goal_path"],
    )
