"""The answer cache: bounded by bytes, least recently used first out; keys normalised."""

from __future__ import annotations

from api.graphql.cache import Answer, AnswerCache, etag_of, request_key


def _answer(size: int) -> Answer:
    body = b"x" * size
    return Answer(body, etag_of(body), ())


def test_the_cache_stays_within_its_budget_dropping_the_least_recently_used() -> None:
    cache = AnswerCache(max_bytes=1000)
    for index in range(10):
        cache.put(f"k{index}", _answer(200))
        assert cache.size <= 1000
    assert len(cache) == 5
    assert cache.get("k4") is None
    assert cache.get("k5") is not None  # now the most recently used
    cache.put("k10", _answer(200))
    assert cache.get("k5") is not None
    assert cache.get("k6") is None


def test_an_answer_larger_than_a_quarter_of_the_budget_is_not_kept() -> None:
    cache = AnswerCache(max_bytes=1000)
    cache.put("big", _answer(251))
    assert cache.get("big") is None
    assert cache.size == 0


def test_keys_ignore_spacing_and_comments_but_not_strings_or_variables() -> None:
    post = b'{"query": "{ entity(id: \\"A\\") { name } }", "variables": {}}'
    spaced = b'{"query": "{\\n  entity(id:\\"A\\"){name} # c\\n}", "variables": null}'
    other_text = b'{"query": "{ entity(id: \\"A \\") { name } }"}'
    assert request_key("POST", b"", post) == request_key("POST", b"", spaced)
    assert request_key("POST", b"", post) != request_key("POST", b"", other_text)
    with_vars = b'{"query": "query ($i: ID!) { entity(id: $i) { name } }", "variables": %s}'
    assert request_key("POST", b"", with_vars % b'{"i": "A"}') != request_key(
        "POST", b"", with_vars % b'{"i": "B"}'
    )
    assert request_key("POST", b"", with_vars % b'{"i": "A"}') == request_key(
        "GET",
        b"query=query+(%24i%3A+ID!)+%7B+entity(id%3A+%24i)+%7B+name"
        b"+%7D+%7D&variables=%7B%22i%22%3A+%22A%22%7D",
        b"",
    )


def test_what_cannot_be_keyed_is_not_cached() -> None:
    assert request_key("POST", b"", b"not json") is None
    assert request_key("POST", b"", b"[]") is None  # a batch
    assert request_key("POST", b"", b'{"query": "{ broken"}') is None
    assert request_key("GET", b"", b"") is None  # GraphiQL
