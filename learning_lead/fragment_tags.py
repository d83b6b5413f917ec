"""``{% personal FACT KEY %}shown if the fact holds{% otherwise %}else{% endpersonal %}``:
the part of a cached fragment that differs per viewer (see learning_lead/fragments.py).

``{% personal "me" thought.author_id %}`` holds for the viewer's own items; other facts
(``"voted"`` with a question's id, say) come from the view. Blocks do not nest. Loaded for
every template (a builtin), so templates need no ``{% load %}``.
"""

from django import template

from learning_lead import fragments

register = template.Library()


class PersonalNode(template.Node):
    def __init__(self, fact, key, when_true, when_false):
        self.fact, self.key = fact, key
        self.when_true, self.when_false = when_true, when_false

    def render(self, context):
        if not context.get("_fragment"):
            # Outside fragments.render nothing would choose a branch: the markers would leak.
            raise template.TemplateSyntaxError(
                "{% personal %} renders only through learning_lead.fragments.render()."
            )
        if context.get("_in_personal"):
            raise template.TemplateSyntaxError("{% personal %} blocks do not nest.")
        fact = self.fact.resolve(context)
        key = self.key.resolve(context)
        with context.push(_in_personal=True):
            yes = self.when_true.render(context)
            no = self.when_false.render(context)
        opening = fragments.PERSONAL_OPEN.format(fact=fact, key="" if key is None else key)
        return f"{opening}{yes}{fragments.PERSONAL_ELSE}{no}{fragments.PERSONAL_END}"


@register.tag
def personal(parser, token):
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("Usage: {% personal FACT KEY %}")
    fact, key = parser.compile_filter(bits[1]), parser.compile_filter(bits[2])
    when_true = parser.parse(("otherwise", "endpersonal"))
    when_false = template.NodeList()
    if parser.next_token().contents == "otherwise":
        when_false = parser.parse(("endpersonal",))
        parser.delete_first_token()
    return PersonalNode(fact, key, when_true, when_false)
