"""One opener for every loader: plain, gzip, bzip2, xz and single-file zip, told by magic."""

from __future__ import annotations

import bz2
import gzip
import lzma
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from loaders import obo
from loaders.base import Collector
from loaders.errors import SourceError
from loaders.files import compression_of, format_suffix, open_source
from loaders.tabular import decoded_lines, read_id_map
from tests.unit.loaders.conftest import fixture

TEXT = "format-version: 1.2\nontology: doid\n\n[Term]\nid: DOID:4166\nname: syphilis\n"


def _zip(path: Path, data: bytes) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.obo", data)


WRITERS: dict[str, Callable[[Path, bytes], object]] = {
    "gzip": lambda path, data: path.write_bytes(gzip.compress(data)),
    "bzip2": lambda path, data: path.write_bytes(bz2.compress(data)),
    "xz": lambda path, data: path.write_bytes(lzma.compress(data)),
    "zip": _zip,
}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_each_compression_reads_as_the_plain_file(tmp_path: Path, kind: str) -> None:
    # A misleading name on purpose: the magic number decides, not the suffix.
    path = tmp_path / "download.txt"
    WRITERS[kind](path, TEXT.encode())
    assert compression_of(path) == kind
    with open_source(path) as handle:
        assert handle.read().decode() == TEXT
    assert "".join(decoded_lines(path)) == TEXT


def test_a_plain_file_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "plain.obo.gz"  # named .gz, but not gzip
    path.write_text(TEXT, encoding="utf-8")
    assert compression_of(path) is None
    assert "".join(decoded_lines(path)) == TEXT


def test_a_real_ontology_loads_the_same_compressed(tmp_path: Path) -> None:
    real = fixture("obo", "sexually_transmitted_infectious_disease.obo")
    plain = list(obo.iter_records(real, Collector()))
    for kind, write in WRITERS.items():
        path = tmp_path / f"sti.{kind}"
        write(path, real.read_bytes())
        assert list(obo.iter_records(path, Collector())) == plain, kind


def test_a_zip_with_two_files_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.obo", TEXT)
        archive.writestr("b.obo", TEXT)
    with pytest.raises(SourceError, match=r"exactly one file to load, found 2: a.obo, b.obo"):
        list(decoded_lines(path))


def test_a_truncated_gzip_names_the_file_and_the_compression(tmp_path: Path) -> None:
    path = tmp_path / "cut.obo.gz"
    path.write_bytes(gzip.compress(TEXT.encode() * 200)[:60])
    with pytest.raises(SourceError) as caught:
        list(decoded_lines(path))
    assert caught.value.rejection.location.file == path
    assert "broken gzip file" in caught.value.rejection.reason


def test_an_id_map_may_be_compressed(tmp_path: Path) -> None:
    path = tmp_path / "map.tsv.gz"
    path.write_bytes(gzip.compress(b"D010936\tPUBCHEM.COMPOUND:3034396\n"))
    assert read_id_map(path) == {"D010936": "PUBCHEM.COMPOUND:3034396"}


def test_format_suffix_looks_under_the_compression() -> None:
    assert format_suffix(Path("doid.obo.gz")) == ".obo"
    assert format_suffix(Path("a.json.xz")) == ".json"
    assert format_suffix(Path("release.zip")) == ""
