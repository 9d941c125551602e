"""The ``:play`` guide: an HTML page of ``<slide>`` elements, one per canonical question.

Neo4j Browser fetches the page, keeps the ``<slide>`` elements and turns every
``pre.runnable`` into a query that a click copies into the editor. It strips scripts and event
handlers, and a ``<style>`` element would restyle Browser itself, so the page uses neither;
the legend's colours are inline and come from the style sheet, so the two cannot disagree.
"""

from __future__ import annotations

from html import escape

from browser.slides import SLIDES, Slide
from browser.style import NODE_STYLES, text_color
from ontology.vocab import CATEGORIES, Category

TITLE = "PharmaKG: canonical questions"

_CATEGORY_NOTES: dict[Category, str] = {
    Category.ORGANISM: "the plant",
    Category.ALKALOID: "kratom alkaloids",
    Category.DRUG: "drugs and tool compounds",
    Category.RECEPTOR: "receptors",
    Category.ENZYME: "enzymes",
    Category.TRANSPORTER: "transporters",
    Category.ION_CHANNEL: "ion channels",
    Category.PROTEIN: "other protein targets",
    Category.TARGET_FAMILY: "receptor and enzyme families",
    Category.CONDITION: "conditions",
    Category.OUTCOME_MEASURE: "what a study measured",
    Category.STUDY: "studies",
}


def _legend() -> str:
    """One line of coloured chips, in the colours of the style sheet."""
    chips = []
    for category in Category:
        color = NODE_STYLES[category].color
        chips.append(
            f'<span title="{escape(_CATEGORY_NOTES[category])}" style="background-color: '
            f"{color}; color: {text_color(color)}; padding: 1px 8px; border-radius: 9px; "
            f'white-space: nowrap">{escape(CATEGORIES[category].label)}</span>'
        )
    return "<p>" + "\n".join(chips) + "</p>"


def _intro(slides: tuple[Slide, ...]) -> str:
    # Numbered by hand: Browser's guide styles drop the list numbers.
    questions = "\n".join(
        f"<li>{number}. {escape(slide.question)}</li>"
        for number, slide in enumerate(slides, start=1)
    )
    return f"""\
<slide class="row-fluid">
  <div class="col-sm-3">
    <h3>PharmaKG</h3>
    <p class="lead">Kratom alkaloids, their targets and metabolism, and the studies behind
    them, as a graph.</p>
  </div>
  <div class="col-sm-9">
    <p>Each of the next slides asks one question and holds the query that draws its answer:
    click the query to copy it into the editor, run it with the play button (or Ctrl+Enter)
    and read the picture with the note under it.</p>
    <ul class="undecorated">
{questions}
    </ul>
{_legend()}
    <p>Every arrow carries its own evidence: click it for the publications, the primary
    knowledge source, the evidence kind and any measured value. There are no source or
    publication nodes, so no node is linked to everything.</p>
  </div>
</slide>"""


def _slide(slide: Slide, number: int, total: int) -> str:
    return f"""\
<slide class="row-fluid" id="{escape(slide.key)}">
  <div class="col-sm-3">
    <h3>{escape(slide.title)}</h3>
    <p class="lead">{escape(slide.question)}</p>
    <p>Question {number} of {total}</p>
  </div>
  <div class="col-sm-9">
    <p>Click the query to copy it into the editor, then run it.</p>
    <figure>
      <pre class="pre-scrollable code runnable">{escape(slide.cypher)}</pre>
    </figure>
    <h4>Reading the picture</h4>
    <p>{escape(slide.reading)}</p>
  </div>
</slide>"""


def render_guide(slides: tuple[Slide, ...] = SLIDES) -> str:
    """The guide page: an introduction, then one slide per question."""
    keys = [slide.key for slide in slides]
    if len(set(keys)) != len(keys):
        raise ValueError(f"slide keys must be unique: {keys}")
    body = "\n".join(
        [_intro(slides)]
        + [_slide(slide, number, len(slides)) for number, slide in enumerate(slides, start=1)]
    )
    return f"""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(TITLE)}</title>
</head>
<body>
<article class="guide">
<carousel class="deck container-fluid">
{body}
</carousel>
</article>
</body>
</html>
"""
