"""Cursors and page windows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.graphql.limits import MAX_PAGE_SIZE, PublicError
from api.graphql.types import Connection, connection, decode_cursor, encode_cursor, window


@given(st.integers(min_value=0, max_value=10**9))
def test_cursors_round_trip(offset: int) -> None:
    assert decode_cursor(encode_cursor(offset)) == offset


@pytest.mark.parametrize("cursor", ["", "xyz", "b2Zmc2V0Oi0x", "bm9wZTox", "!!!"])
def test_bad_cursors_are_refused(cursor: str) -> None:
    with pytest.raises(PublicError, match="invalid cursor"):
        decode_cursor(cursor)


def test_window_caps_the_page_size() -> None:
    assert window(10, None) == (0, 10)
    assert window(10, encode_cursor(9)) == (10, 10)
    with pytest.raises(PublicError, match=f"between 0 and {MAX_PAGE_SIZE}"):
        window(MAX_PAGE_SIZE + 1, None)
    with pytest.raises(PublicError):
        window(-1, None)


def test_connection_page_info() -> None:
    page = connection(["c", "d"], total=5, offset=2)
    assert page.total_count == 5
    assert [e.node for e in page.edges] == ["c", "d"]
    assert page.page_info.has_next_page is True
    assert page.page_info.has_previous_page is True
    assert page.page_info.end_cursor == encode_cursor(3)
    empty: Connection[str] = connection([], total=0, offset=0)
    assert empty.page_info.start_cursor is None
    assert empty.page_info.has_next_page is False
