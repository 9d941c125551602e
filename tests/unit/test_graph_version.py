"""graph.version.bumped: the version moves after a load, also after a failed one."""

from __future__ import annotations

from typing import Any

import pytest

from graph import version
from graph.cypher.writes import BUMP_VERSION


class _Driver:
    def __init__(self, *, fail: bool = False) -> None:
        self.bumps = 0
        self.fail = fail

    def execute_query(self, query: str, **_: Any) -> Any:
        assert query == BUMP_VERSION
        self.bumps += 1
        if self.fail:
            raise OSError("Neo4j is gone")
        return [{"token": "t"}], None, None

    def session(self, **_: Any) -> _Driver:
        return self

    def __enter__(self) -> _Driver:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def run(self, query: str) -> _Driver:
        self.execute_query(query)
        return self

    def consume(self) -> None:
        pass


def test_a_load_bumps_the_version_once() -> None:
    driver = _Driver()
    with version.bumped(driver):  # type: ignore[arg-type]
        pass
    assert driver.bumps == 1


def test_a_failed_load_bumps_it_too_and_its_error_is_the_one_raised() -> None:
    driver = _Driver(fail=True)
    with pytest.raises(ValueError, match="bad record"), version.bumped(driver):  # type: ignore[arg-type]
        raise ValueError("bad record")
    assert driver.bumps == 1
