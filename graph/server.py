"""A real Neo4j 5.26 Community server started from Maven Central jars, without Docker.

Layout of an instance directory (``--data-dir``)::

    conf/neo4j.conf   generated from ServerConfig on every start
    data/             the databases (persist across stop/start)
    logs/             neo4j.log, debug.log, console.log
    run/neo4j.pid     the server's process id while it runs
    import/           CSVs for ``neo4j-admin database import``

The jars live once per checkout in ``<home>/lib`` (fetched by Maven into an ignored folder).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

from graph.errors import ServerError

logger = logging.getLogger(__name__)

NEO4J_VERSION = "5.26.30"
BROWSER_VERSION = "5.24.0"
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.server.startup.Neo4jAdminCommand"

# The flags the shipped neo4j.conf lists under server.jvm.additional: Netty and the page cache
# reach into these JDK internals.
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)

# Where Neo4j Browser fetches PharmaKG's style sheet and guide: the API's /browser/ routes.
DEFAULT_BROWSER_CONTENT_URL = "http://127.0.0.1:8000/browser"
BROWSER_STYLE_FILE = "style.grass"
BROWSER_GUIDE_FILE = "guide.html"
# The Browser compares only the hostname of a guide or style URL with this list (any port).
BROWSER_ALLOWLIST = "localhost,127.0.0.1"


def post_connect_commands(content_url: str) -> str:
    """Browser commands run on every connect: apply the style sheet, then open the guide."""
    base = content_url.rstrip("/")
    return f"style {base}/{BROWSER_STYLE_FILE}; play {base}/{BROWSER_GUIDE_FILE}"


POM_TEMPLATE = """\
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>pharmakg</groupId><artifactId>neo4j-server-jars</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId>
      <version>{neo4j}</version></dependency>
    <dependency><groupId>org.neo4j.client</groupId><artifactId>neo4j-browser</artifactId>
      <version>{browser}</version></dependency>
  </dependencies>
</project>
"""


@dataclass(frozen=True)
class ServerConfig:
    """Where a local server lives and how it is sized (defaults fit 2 cores and 24 GiB)."""

    home: Path
    instance_dir: Path
    password: str
    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "4g"
    pagecache: str = "4g"
    transaction_memory: str = "2g"
    # Neo4j Browser: the commands it runs on connecting (apply the style, open the guide) and
    # the hosts it may fetch guides and styles from (hostnames only; any port).
    browser_post_connect_cmd: str = post_connect_commands(DEFAULT_BROWSER_CONTENT_URL)
    browser_allowlist: str = BROWSER_ALLOWLIST

    @property
    def lib_dir(self) -> Path:
        return self.home / "lib"

    @property
    def conf_dir(self) -> Path:
        return self.instance_dir / "conf"

    @property
    def data_dir(self) -> Path:
        return self.instance_dir / "data"

    @property
    def logs_dir(self) -> Path:
        return self.instance_dir / "logs"

    @property
    def import_dir(self) -> Path:
        return self.instance_dir / "import"

    @property
    def pid_file(self) -> Path:
        return self.instance_dir / "run" / "neo4j.pid"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def browser_url(self) -> str:
        # Opens the connect form filled in (Bolt URL, user, username/password auth): only the
        # password is left to type. NATIVE is the Browser's name for username/password auth.
        return (
            f"{self.http_url}/browser/?dbms=neo4j://neo4j@127.0.0.1:{self.bolt_port}"
            "&preselectAuthMethod=NATIVE"
        )


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    bolt_uri: str
    http_url: str
    browser_url: str
    log_file: Path


# -- fetching --------------------------------------------------------------------------------


def jars_present(home: Path) -> bool:
    return (home / "lib" / f"neo4j-{NEO4J_VERSION}.jar").is_file() and (
        home / "lib" / f"neo4j-browser-{BROWSER_VERSION}.jar"
    ).is_file()


def fetch_jars(home: Path) -> Path:
    """Fetch the server and Browser jars with Maven into ``home/lib``; a no-op once done."""
    if jars_present(home):
        return home / "lib"
    logger.info("fetching the Neo4j %s jars into %s", NEO4J_VERSION, home / "lib")
    home.mkdir(parents=True, exist_ok=True)
    pom = home / "pom.xml"
    pom.write_text(POM_TEMPLATE.format(neo4j=NEO4J_VERSION, browser=BROWSER_VERSION))
    return copy_dependencies(pom, home / "lib", f"Neo4j {NEO4J_VERSION}")


def copy_dependencies(pom: Path, lib: Path, what: str) -> Path:
    """Fetch the dependencies of ``pom`` from Maven Central into ``lib`` (``what`` names them)."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServerError(
            f"Maven (mvn) is not on PATH: it fetches {what} from Maven Central. "
            "Install it (Debian: apt-get install maven) and try again."
        )
    staging = lib.with_name(lib.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    result = subprocess.run(
        [
            mvn,
            "-q",
            "-B",
            "-f",
            str(pom),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={staging}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise ServerError(f"Maven could not fetch {what}:\n{_tail(result.stdout)}")
    # Rename at the end so that an interrupted fetch never looks complete.
    shutil.rmtree(lib, ignore_errors=True)
    staging.rename(lib)
    return lib


# -- configuration ---------------------------------------------------------------------------


def render_config(cfg: ServerConfig) -> str:
    """The neo4j.conf of an instance: loopback only, sized for a 2-core 24 GiB machine."""
    return dedent(f"""\
        # Generated by `pharmakg neo4j start`; edits are overwritten on the next start.
        server.directories.data={cfg.data_dir}
        server.directories.logs={cfg.logs_dir}
        server.directories.run={cfg.pid_file.parent}
        server.directories.import={cfg.import_dir}
        server.default_listen_address=127.0.0.1
        server.bolt.listen_address=127.0.0.1:{cfg.bolt_port}
        server.bolt.advertised_address=127.0.0.1:{cfg.bolt_port}
        server.http.listen_address=127.0.0.1:{cfg.http_port}
        server.http.advertised_address=127.0.0.1:{cfg.http_port}
        server.https.enabled=false
        server.memory.heap.initial_size={cfg.heap}
        server.memory.heap.max_size={cfg.heap}
        server.memory.pagecache.size={cfg.pagecache}
        dbms.memory.transaction.total.max={cfg.transaction_memory}
        db.memory.transaction.max={cfg.transaction_memory}
        dbms.security.auth_enabled=true
        dbms.usage_report.enabled=false
        """) + browser_settings(cfg)


def browser_settings(cfg: ServerConfig) -> str:
    """The Neo4j Browser settings that Neo4j 5.26 Community declares, as neo4j.conf lines.

    The Browser reads them over Bolt (``dbms.clientConfig()``) after connecting: it runs
    ``browser.post_connect_cmd`` and fetches remote guides and styles only from the hosts in
    ``browser.remote_content_hostname_whitelist`` (5.26 still uses that name; the
    ``..._allowlist`` spelling and ``browser.allow_outgoing_connections`` are not declared in
    Community and would only be warned about).
    """
    lines = [
        f"browser.remote_content_hostname_whitelist={cfg.browser_allowlist}",
        # No product analytics sent from the Browser of a local development server.
        "client.allow_telemetry=false",
    ]
    if cfg.browser_post_connect_cmd:
        lines.append(f"browser.post_connect_cmd={cfg.browser_post_connect_cmd}")
    return "".join(f"{line}\n" for line in lines)


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise ServerError(
            "Java is not installed (no JAVA_HOME, no java on PATH): Neo4j 5.26 needs Java 17 "
            "or 21. Debian: apt-get install openjdk-17-jre-headless."
        )
    return java


def _env(cfg: ServerConfig) -> dict[str, str]:
    return {**os.environ, "NEO4J_HOME": str(cfg.home), "NEO4J_CONF": str(cfg.conf_dir)}


def prepare_instance(cfg: ServerConfig) -> None:
    """Write the config and, on a new data dir, the initial password (before the first start)."""
    for directory in (
        cfg.conf_dir,
        cfg.data_dir,
        cfg.logs_dir,
        cfg.import_dir,
        cfg.pid_file.parent,
    ):
        directory.mkdir(parents=True, exist_ok=True)
    (cfg.conf_dir / "neo4j.conf").write_text(render_config(cfg))
    if not (cfg.data_dir / "dbms" / "auth.ini").exists():
        logger.info("new instance in %s: setting the initial password", cfg.instance_dir)
        run_admin(cfg, "dbms", "set-initial-password", cfg.password)


def run_admin(cfg: ServerConfig, *args: str) -> str:
    """Run a ``neo4j-admin`` command from the same jars; raise with its output on failure."""
    logger.debug("neo4j-admin %s", " ".join(a if a != cfg.password else "***" for a in args))
    result = subprocess.run(
        [_java(), "-cp", f"{cfg.lib_dir}/*", ADMIN_CLASS, *args],
        env=_env(cfg),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        shown = " ".join(a if a != cfg.password else "***" for a in args)
        raise ServerError(f"neo4j-admin {shown} failed:\n{_tail(result.stdout + result.stderr)}")
    return result.stdout


# -- process control -------------------------------------------------------------------------


def _read_pid(cfg: ServerConfig) -> int | None:
    try:
        pid = int(cfg.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); /proc says whether it really runs.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (tests, benchmarks)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def status(cfg: ServerConfig) -> ServerStatus:
    pid = _read_pid(cfg)
    return ServerStatus(
        running=pid is not None and port_open(cfg.bolt_port),
        pid=pid,
        bolt_uri=cfg.bolt_uri,
        http_url=cfg.http_url,
        browser_url=cfg.browser_url,
        log_file=cfg.logs_dir / "neo4j.log",
    )


def start(cfg: ServerConfig, *, timeout: float = 120.0) -> ServerStatus:
    """Start the server and wait until Bolt answers; a running server is left as it is."""
    current = status(cfg)
    if current.running:
        logger.debug("Neo4j already running (pid %s, bolt %d)", current.pid, cfg.bolt_port)
        return current
    if current.pid is not None:
        raise ServerError(
            f"Neo4j (pid {current.pid}) is starting or hung without answering on Bolt "
            f"port {cfg.bolt_port}; see {current.log_file} or run `pharmakg neo4j stop`."
        )
    for port in (cfg.bolt_port, cfg.http_port):
        if port_open(port):
            raise ServerError(
                f"Port {port} on 127.0.0.1 is already taken by another process; choose another "
                "with --bolt-port/--http-port or stop what listens there."
            )
    fetch_jars(cfg.home)
    prepare_instance(cfg)
    console = cfg.logs_dir / "console.log"
    with console.open("ab") as out:
        process = subprocess.Popen(
            [
                _java(),
                f"-Xms{cfg.heap}",
                f"-Xmx{cfg.heap}",
                *JVM_FLAGS,
                "-cp",
                f"{cfg.lib_dir}/*",
                MAIN_CLASS,
                f"--home-dir={cfg.home}",
                f"--config-dir={cfg.conf_dir}",
            ],
            env=_env(cfg),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # survives the CLI that started it, like a daemon
        )
    cfg.pid_file.write_text(str(process.pid))
    logger.info(
        "starting Neo4j %s (pid %d, bolt %d, http %d, heap %s, data %s)",
        NEO4J_VERSION,
        process.pid,
        cfg.bolt_port,
        cfg.http_port,
        cfg.heap,
        cfg.instance_dir,
    )
    _wait_for_bolt(cfg, process, timeout)
    logger.info("Neo4j is up on %s", cfg.bolt_uri)
    return status(cfg)


def _wait_for_bolt(cfg: ServerConfig, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            cfg.pid_file.unlink(missing_ok=True)
            raise ServerError(
                f"Neo4j exited with code {process.returncode} while starting. "
                f"Last lines of its logs:\n{_log_tail(cfg)}"
            )
        if port_open(cfg.bolt_port) and _http_ready(cfg):
            return
        time.sleep(0.25)
    stop(cfg)
    raise ServerError(
        f"Neo4j did not answer on Bolt port {cfg.bolt_port} within {timeout:.0f} s. "
        f"Last lines of its logs:\n{_log_tail(cfg)}"
    )


def _http_ready(cfg: ServerConfig) -> bool:
    # Bolt listens a moment before the databases are online; the log line says when.
    log = cfg.logs_dir / "neo4j.log"
    return log.exists() and "Started." in log.read_text(errors="replace")[-4000:]


def stop(cfg: ServerConfig, *, timeout: float = 60.0) -> bool:
    """Stop the server (TERM, then KILL after ``timeout``); True if one was running."""
    pid = _read_pid(cfg)
    if pid is None:
        cfg.pid_file.unlink(missing_ok=True)
        return False
    logger.info("stopping Neo4j (pid %d, bolt %d)", pid, cfg.bolt_port)
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.2)
    if _alive(pid):
        logger.warning("Neo4j (pid %d) still running after %.0f s: killing it", pid, timeout)
        os.kill(pid, signal.SIGKILL)
        while _alive(pid):
            _reap(pid)
            time.sleep(0.1)
    cfg.pid_file.unlink(missing_ok=True)
    return True


def _reap(pid: int) -> None:
    """Collect the exit status when the server is our own child, so it leaves no zombie."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _log_tail(cfg: ServerConfig, lines: int = 25) -> str:
    parts = []
    for name in ("console.log", "neo4j.log"):
        path = cfg.logs_dir / name
        if path.exists():
            parts.append(f"--- {path}\n{_tail(path.read_text(errors='replace'), lines)}")
    return "\n".join(parts) or "(no log written)"


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])
