"""The ask form's field groups, built in Python (reflections/question_form_html.py):
`{{ form.body|textarea_group }}`, `|radio_group`, `|select_group`, `|checkbox_group`."""

from django import template

from reflections import question_form_html

register = template.Library()

register.filter("textarea_group", question_form_html.textarea)
register.filter("radio_group", question_form_html.radios)
register.filter("select_group", question_form_html.select)
register.filter("checkbox_group", question_form_html.checkbox)
