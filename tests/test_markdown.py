"""Markdown markup is dropped in linear time: the same text as before on real markup, and no
shape of 5 MB (unclosed fences, tags, links, emphasis) makes a pattern rescan the input."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from briefing.errors import EmptyArticleError
from briefing.sources import load
from briefing.sources.text import _drop_html_blocks, _inline, read_markdown

MB5 = 5 * 1024 * 1024
# The patterns used before issue 17: right answers, quadratic on unclosed openings.
OLD_BLOCK = re.compile(r"<(script|style|!--)[\s\S]*?(?:</\1>|-->)", re.I)


def test_html_blocks_go_as_the_old_pattern_took_them() -> None:
    rng = random.Random(4)
    pieces = ["```", "~~~", "\n", "a", " ", "x\n", "````", "<script", "</script>", "<SCRIPT",
              "</Script>", "<style", "</style>", "<!--", "-->", "--", ">", "<", "</!-->", "`"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        assert _drop_html_blocks(text) == OLD_BLOCK.sub("", text), repr(text)


@pytest.mark.parametrize(("markup", "spoken"), [
    ("**bold** and *italic* and _under_ and ~~strike~~ here.",
     "bold and italic and under and strike here."),
    ("***both*** now.", "both now."),
    ("**bold with *italic* inside** ok.", "bold with italic inside ok."),
    ("*a_b* yes", "a_b yes"),
    ("**a _b_ c**", "a b c"),
    ("Prices rose , then fell .", "Prices rose, then fell."),
])  # fmt: skip
def test_inline_markup(markup: str, spoken: str) -> None:
    assert _inline(markup) == spoken


def test_a_document_reads_as_before() -> None:
    markdown = (
        "# Rail line reopens\n\n"
        "The line reopened on **Monday** after [storm repairs](https://x.org/a_(b)) took "
        "six weeks.\n\n```python\nprint('never spoken')\n```\n\n"
        "<script>alert('no')</script>\n<!-- a comment -->\n"
        "![a map](map.png)\nTrains run *every* half hour, said the operator.\n\n"
        "## Timetable ##\n\n- Weekdays: 6 am to midnight\n\n[ref]: https://x.org/ref\n"
    )
    title, text = read_markdown(markdown)
    assert title == "Rail line reopens"
    assert text == (
        "The line reopened on Monday after storm repairs took six weeks.\n\n"
        "Trains run every half hour, said the operator.\n\nTimetable.\n\n"
        "Weekdays: 6 am to midnight."
    )


def _fill(unit: str, head: str = "", tail: str = "") -> str:
    """Just under the 5 MB cap."""
    size = MB5 - 16 - len(head) - len(tail)
    return head + (unit * (size // len(unit) + 1))[:size] + tail


SHAPES = {
    "unclosed fences": _fill("~~~ x\n", head="```\nx\n"),
    "unclosed <script": _fill("<script "),
    "unclosed emphasis": _fill("*a "),
    "unclosed links": _fill("[a]("),
    "unclosed images": _fill("![a]("),
    "unclosed tags": _fill("<a "),
    "unclosed autolinks": _fill("<http://a "),
    "ref definitions": _fill("[x\n"),
    "brackets": _fill("["),
    "blank lines": _fill("\n", head="x\n"),
    "heading of spaces": _fill(" ", head="# ", tail="x"),
    "spaces before a mark": _fill(" ", head="a", tail="b"),
}


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_five_megabytes_of_unclosed_markup(shape: str, tmp_path: Path) -> None:
    # (bench/source_shapes.py times these shapes through the whole sources stage)
    path = tmp_path / "shape.md"
    path.write_text(SHAPES[shape], encoding="utf-8")
    with pytest.raises(EmptyArticleError):
        load(str(path))
    path.write_text(SHAPES[shape][:200_000] + "\n\nThe council finally approved the plan.\n",
                    encoding="utf-8")  # fmt: skip
    assert "approved the plan" in load(str(path))[0].text
