from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.base import Collector
from loaders.errors import SourceError
from loaders.tabular import decoded_lines, iter_table, read_id_map, sniff_delimiter

_cell = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\r\x00"),
    max_size=12,
)


@settings(max_examples=80, deadline=None)
@given(
    delimiter=st.sampled_from(["\t", ";", ","]),
    rows=st.lists(st.lists(_cell, min_size=3, max_size=3), max_size=6),
)
def test_rows_round_trip_with_their_start_lines(
    tmp_path_factory: pytest.TempPathFactory, delimiter: str, rows: list[list[str]]
) -> None:
    """Whatever a csv writer quotes (delimiters, quotes, newlines) reads back, and each row
    reports the line it starts on."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["a", "b", "c"])
    starts = []
    for row in rows:
        starts.append(buffer.getvalue().count("\n") + 1)
        writer.writerow(row)
    path = tmp_path_factory.mktemp("tsv") / "t.txt"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    collector = Collector()
    read = list(
        iter_table(
            path, decoded_lines(path), collector, delimiter=delimiter, required=("a", "b", "c")
        )
    )
    assert collector.rejections == []
    assert [(loc.line, list(row.values())) for loc, row in read] == [
        (s, [v.strip() for v in r]) for s, r in zip(starts, rows, strict=True)
    ]


def test_sniff_delimiter() -> None:
    assert sniff_delimiter('"a";"b";"c"\n') == ";"
    assert sniff_delimiter("a\tb;c\td\n") == "\t"


def test_id_map_skips_comments_and_a_header(tmp_path: Path) -> None:
    path = tmp_path / "map.tsv"
    path.write_text(
        "chembl_id\tcurie\n# comment\n\nCHEMBL233\tUniProtKB:P35372\n", encoding="utf-8"
    )
    assert read_id_map(path) == {"CHEMBL233": "UniProtKB:P35372"}


def test_id_map_line_without_two_fields(tmp_path: Path) -> None:
    path = tmp_path / "map.tsv"
    path.write_text("CHEMBL233\tUniProtKB:P35372\nCHEMBL340 UniProtKB:P08684\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_id_map(path)
    assert caught.value.rejection.location.line == 2
    assert "expected 2 tab-separated fields" in caught.value.rejection.reason


def test_empty_file_has_no_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.tsv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(SourceError, match="no header line"):
        list(iter_table(path, decoded_lines(path), Collector(), delimiter="\t", required=("a",)))
