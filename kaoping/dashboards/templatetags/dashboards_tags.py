"""Labels and charts for the dashboards' templates."""

from django import template
from django.utils.safestring import mark_safe

from kaoping.dashboards.figures import stage_label, table_of

register = template.Library()
register.filter("stage_label", stage_label)


@register.inclusion_tag("dashboards/_chart.html")
def chart(figure, table: bool = True, caption: str = "", open: bool = False) -> dict:  # noqa: A002
    """A chart (``figures.Chart``): the box ECharts fills, the static SVG (print, no
    JavaScript), its data in a ``json_script``, and unless ``table=False`` (the page has
    its own) the numbers as a table in a ``<details>`` (``open``: shown at first);
    ``caption`` names it above."""
    if not figure:
        return {"chart": None}
    return {
        "chart": figure,
        "table": table_of(figure) if table else None,
        "caption": caption,
        "open": open,
    }


class _ChartTableNode(template.Node):
    def __init__(self, figure, caption, nodelist):
        self.figure, self.caption, self.nodelist = figure, caption, nodelist

    def render(self, context):
        inner = {
            "figure": self.figure.resolve(context),
            "caption": self.caption.resolve(context),
            "rows": mark_safe(self.nodelist.render(context)),  # noqa: S308 - rendered, escaped
        }
        with context.push(inner):
            return context.template.engine.get_template("dashboards/_chart_table.html").render(
                context
            )


@register.tag
def chart_table(parser, token):
    """``{% chart_table figure caption %}<thead>…<tbody>…{% endchart_table %}``: a chart
    beside its own data table (the rows between the tags), folded in a ``<details>``;
    ``caption`` names the table for screen readers."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("chart_table takes a figure and a caption")
    nodelist = parser.parse(("endchart_table",))
    parser.delete_first_token()
    return _ChartTableNode(parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), nodelist)
