"""Neo4j Browser content for PharmaKG: a GraSS style sheet and a ``:play`` guide.

Both are generated from the closed vocabulary (``ontology.vocab``), so every label and
relationship type has a colour and a caption, and the guide's queries use only known labels,
types and properties. The API serves them under ``/browser/`` (``api.browser``); the rendered
copies next to this file (``style.grass``, ``guide.html``) are for dragging into a Browser by
hand and are checked to be up to date by the unit tests (``python -m browser`` rewrites them).
"""

from __future__ import annotations

from browser.guide import render_guide
from browser.slides import SLIDES, Slide
from browser.style import render_grass

__all__ = ["SLIDES", "Slide", "render_grass", "render_guide"]
