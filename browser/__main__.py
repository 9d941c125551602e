"""Write the rendered style sheet and guide next to this file: ``python -m browser``.

``python -m browser --check`` only compares them and exits with 1 when they are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from browser.guide import render_guide
from browser.style import render_grass

HERE = Path(__file__).resolve().parent
STYLE_PATH = HERE / "style.grass"
GUIDE_PATH = HERE / "guide.html"


def rendered() -> dict[Path, str]:
    return {STYLE_PATH: render_grass(), GUIDE_PATH: render_guide()}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = [
        path
        for path, text in rendered().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if check:
        for path in stale:
            sys.stderr.write(f"{path} is out of date; run `python -m browser`\n")
        return 1 if stale else 0
    for path, text in rendered().items():
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
