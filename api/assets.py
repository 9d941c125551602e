"""GraphiQL and the OpenAPI docs from this machine: their scripts are never fetched from a CDN.

``make setup`` runs ``python -m api.assets``: ``npm pack`` fetches the pinned packages from the
npm registry once and their browser builds are kept under ``.cache/assets/``; the API serves
them at ``/assets/...``. Without them the pages say how to fetch them instead of going online.
"""

from __future__ import annotations

import html
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.settings import PROJECT_ROOT

ASSETS = PROJECT_ROOT / ".cache" / "assets"
# package -> (version, files of its browser build). GraphiQL 3 is the last with a UMD build;
# React 18 the last React with one.
PACKAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "swagger-ui-dist": ("5.17.14", ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")),
    "graphiql": ("3.8.3", ("graphiql.min.js", "graphiql.min.css")),
    "react": ("18.3.1", ("umd/react.production.min.js",)),
    "react-dom": ("18.3.1", ("umd/react-dom.production.min.js",)),
}
HEADLINE = PROJECT_ROOT / "docs" / "queries" / "studies-connecting.graphql"

router = APIRouter(include_in_schema=False)


def asset(package: str, file: str) -> Path:
    return ASSETS / package / Path(file).name


def missing() -> list[str]:
    return [
        f"{name}@{version}"
        for name, (version, files) in PACKAGES.items()
        if not all(asset(name, f).is_file() for f in files)
    ]


def fetch(*, npm: str = "npm") -> list[Path]:
    """Fetch what is missing with ``npm pack`` (the registry, never a CDN); the files kept."""
    kept: list[Path] = []
    for name, (version, files) in PACKAGES.items():
        if all(asset(name, f).is_file() for f in files):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                [npm, "pack", f"{name}@{version}", "--pack-destination", tmp, "--silent"],
                check=True,
                capture_output=True,
                text=True,
            )
            tarball = Path(tmp) / out.stdout.strip().splitlines()[-1]
            with tarfile.open(tarball) as archive:
                for file in files:
                    member = archive.extractfile(f"package/{file}")
                    if member is None:  # pragma: no cover - a package that changed its layout
                        raise RuntimeError(f"{name}@{version} has no {file}")
                    target = asset(name, file)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(member.read())
                    kept.append(target)
    return kept


@router.get("/assets/{package}/{file}")
async def asset_file(package: str, file: str) -> Response:
    entry = PACKAGES.get(package)
    if entry is None or file not in {Path(f).name for f in entry[1]}:
        return Response(status_code=404)
    path = asset(package, file)
    if not path.is_file():
        return Response(f"{package} is not fetched: run `make setup`", status_code=404)
    return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})


def _unfetched_page(title: str) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><title>{html.escape(title)}</title><p>{title} needs "
        f"{html.escape(', '.join(missing()))}: run <code>make setup</code> "
        "(or <code>python -m api.assets</code>).</p>",
        status_code=503,
    )


def swagger_page(openapi_url: str, title: str) -> HTMLResponse:
    if missing():
        return _unfetched_page("API docs")
    return get_swagger_ui_html(
        openapi_url=openapi_url,
        title=title,
        swagger_js_url="/assets/swagger-ui-dist/swagger-ui-bundle.js",
        swagger_css_url="/assets/swagger-ui-dist/swagger-ui.css",
        swagger_favicon_url="/assets/swagger-ui-dist/favicon-32x32.png",
    )


def graphiql_page() -> HTMLResponse:
    """GraphiQL with the headline question (studies connecting ...) ready to run."""
    if missing():
        return _unfetched_page("GraphiQL")
    query = json.dumps(HEADLINE.read_text(encoding="utf-8")).replace("</", "<\\/")
    return HTMLResponse(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PharmaKG GraphiQL</title>
<style>body{{margin:0;height:100vh}}#graphiql{{height:100vh}}</style>
<link rel="stylesheet" href="/assets/graphiql/graphiql.min.css"></head>
<body><div id="graphiql">Loading...</div>
<script src="/assets/react/react.production.min.js"></script>
<script src="/assets/react-dom/react-dom.production.min.js"></script>
<script src="/assets/graphiql/graphiql.min.js"></script>
<script>
const fetcher = GraphiQL.createFetcher({{url: window.location.pathname}});
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {{fetcher, defaultQuery: {query}}}));
</script></body></html>
""")


if __name__ == "__main__":
    for path in fetch():
        print(path)
    print(f"assets in {ASSETS}: {', '.join(PACKAGES)}")
