"""benchmarks.api_spy reads py-spy's raw stacks: each busy sample to its innermost stage."""

from __future__ import annotations

from benchmarks.api_spy import package_of, summarise

# Stacks as py-spy 0.4 writes them for a served worker (shortened: the frames between kept).
_LOOP = "Runner.run (asyncio/runners.py:118)"
_REQUEST = (
    f"{_LOOP};RequestResponseCycle.run_asgi (uvicorn/protocols/http/httptools_impl.py:420);"
    "CompiledGraphQL.__call__ (api/graphql/compiled.py:560);"
    "CompiledAnswers.answer (api/graphql/compiled.py:196);"
    "CompiledAnswers._entity (api/graphql/compiled.py:217)"
)
RAW = [
    f"{_REQUEST};entity_with_pages (graph/reads.py:408);fetch (graph/reads.py:76);"
    "AsyncResult.values (neo4j/_async/work/result.py:752) 7\n",
    f"{_REQUEST};entity_with_pages (graph/reads.py:418);_read_pages (graph/reads.py:433);"
    "stored_node (graph/repository.py:101) 3\n",
    f"{_REQUEST};_Shaper.shape (api/graphql/compiled.py:384) 2\n",
    f"{_REQUEST};page_plans (api/graphql/lookahead.py:40) 1\n",
    f"{_LOOP};RequestResponseCycle.run_asgi (uvicorn/protocols/http/httptools_impl.py:420);"
    "CORSMiddleware.__call__ (starlette/middleware/cors.py:91) 4\n",
    f"{_LOOP};ensure_future (asyncio/tasks.py:659) 5\n",
    f"{_LOOP} 6\n",
    "Thread._bootstrap (threading.py:1002);TMonitor.run (tqdm/_monitor.py:60) 50\n",
    "\n",
]


def test_each_busy_sample_counts_for_its_innermost_stage() -> None:
    total, stages, _ = summarise(RAW)
    assert total == 28  # the idle monitor thread is left out
    assert stages == {
        "the driver's read": 7,
        "records from the rows": 3,
        "shaping the answer": 2,
        "compiled answer: the rest": 1,
        "HTTP server and middleware": 4,
        "event loop and other": 11,
    }


def test_own_time_goes_to_the_package_of_the_innermost_frame() -> None:
    _, _, packages = summarise(RAW)
    assert packages == {
        "neo4j": 7,
        "graph": 3,
        "api": 3,
        "starlette": 4,
        "asyncio": 5,
        "event loop, native": 6,
    }
    assert package_of("<frozen runpy>") == "<frozen runpy>"
    assert package_of("enum.py") == "enum.py"
