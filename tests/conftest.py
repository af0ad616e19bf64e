"""Shared fixtures: the packaged model (once per run), real SQLite files, a real PostgreSQL,
and a real PostgreSQL with pgvector for the pgvector backend."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from api.app import create_app
from crosscheck.ingest import service as ingest_service
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime
from crosscheck.settings import DEFAULT_STANCE_MODEL, Settings
from crosscheck.stance.engine import StanceEngine
from embeddings.ann.pgvector import drop_tables
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

# The test client sends "Host: testserver"; open-mode servers under test answer to it too
# (tests/api/test_open_mode.py sets the loopback-only default explicitly).
os.environ.setdefault(
    "CROSSCHECK_OPEN_MODE_HOSTS", '["localhost", "127.0.0.1", "::1", "testserver"]'
)

POSTGRES_URL = os.environ.get(
    "CROSSCHECK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# A PostgreSQL server with pgvector to use instead of starting one (see ``pgvector_url``).
PGVECTOR_URL = os.environ.get("CROSSCHECK_TEST_PGVECTOR_URL")
# Modules that run on every vector backend parametrize ``vector_backend`` with these.
VECTOR_BACKENDS = ["faiss", pytest.param("pgvector", marks=pytest.mark.pgvector)]
DEMO_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "demo"
# ONNX exports are checked against their metadata before use, so every test (and the servers
# they start) can share one cache instead of exporting the models again per temp folder.
os.environ.setdefault(
    "CROSSCHECK_ONNX_DIR", str(Path(tempfile.gettempdir()) / "crosscheck-test-onnx")
)
TABLES = (
    "api_keys",
    "claim_reviews",
    "claim_appearances",
    "claims",
    "documents",
    "source_aliases",
    "sources",
)


@pytest.fixture(scope="session")
def encoder() -> SentenceTransformerEncoder:
    """The packaged all-MiniLM-L6-v2, loaded once for the whole run."""
    return SentenceTransformerEncoder()


def _postgres_problem() -> str | None:
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:  # any failure to connect means: skip, and say why
        return f"no PostgreSQL server answers at {make_url(POSTGRES_URL).render_as_string()}: {exc}"
    finally:
        engine.dispose()
    return None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, dropped at the end."""
    problem = _postgres_problem()
    if problem is not None:
        pytest.skip(problem.splitlines()[0])
    name = f"crosscheck_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: a new SQLite file, or the run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'crosscheck.db'}"
        upgrade(url)
        return url
    url: str = request.getfixturevalue("postgres_url")
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


def _has_vector_extension(url: str) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
            ).first()
    except Exception:  # no server: the caller says why it skips
        return False
    finally:
        engine.dispose()
    return found is not None


def _start_pgserver(stack: ExitStack) -> str:
    """A throwaway PostgreSQL with pgvector from the pgserver package; its admin URL."""
    try:
        import pgserver
    except ImportError:
        pytest.skip("pgvector tests: pgserver is not installed and no server has pgvector")
    folder = tempfile.mkdtemp(prefix="crosscheck-pgvector-")
    stack.callback(shutil.rmtree, folder, ignore_errors=True)
    try:
        server: Any = pgserver.get_server(folder, cleanup_mode="stop")
    except Exception as exc:  # a server that does not start means: skip, and say why
        pytest.skip(f"pgvector tests: pgserver could not start PostgreSQL: {exc}")
    stack.callback(server.cleanup)
    return (
        make_url(server.get_uri())
        .set(drivername="postgresql+psycopg")
        .render_as_string(hide_password=False)
    )


@pytest.fixture(scope="session")
def pgvector_url() -> Iterator[str]:
    """A fresh database with the vector extension for this run, dropped at the end.

    On the server named by CROSSCHECK_TEST_PGVECTOR_URL; else on the test PostgreSQL if it has
    pgvector; else on a throwaway server started from the pgserver package (Debian's registry
    has no pgvector package for the system PostgreSQL).
    """
    with ExitStack() as stack:
        if PGVECTOR_URL is not None:
            admin_url = PGVECTOR_URL
        elif _has_vector_extension(POSTGRES_URL):
            admin_url = POSTGRES_URL
        else:
            admin_url = _start_pgserver(stack)
        name = f"crosscheck_vectors_{uuid.uuid4().hex[:12]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        stack.callback(admin.dispose)
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)

        def drop_database() -> None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

        stack.callback(drop_database)
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
        engine.dispose()
        yield url


@pytest.fixture
def pgvector_engine(pgvector_url: str) -> Iterator[Engine]:
    """An engine on the pgvector database, without the vector tables of earlier tests."""
    engine = create_engine(pgvector_url)
    drop_tables(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def vector_backend() -> str:
    """The vector backend a test's settings select; modules run on every one override this."""
    return "faiss"


@pytest.fixture
def settings(
    database_url: str, tmp_path: Path, vector_backend: str, request: pytest.FixtureRequest
) -> Settings:
    if vector_backend == "pgvector":
        engine: Engine = request.getfixturevalue("pgvector_engine")
        return Settings(
            database_url=database_url,
            index_dir=tmp_path / "index",
            vector_backend="pgvector",
            vector_database_url=engine.url.render_as_string(hide_password=False),
            stance_graph=False,
        )
    # The stance graph judges in the background; tests of it turn it on (test_stance_graph.py).
    return Settings(database_url=database_url, index_dir=tmp_path / "index", stance_graph=False)


@pytest.fixture
def runtime(settings: Settings, encoder: SentenceTransformerEncoder) -> Iterator[Runtime]:
    """A started runtime (model and index loaded) on the test database."""
    runtime = Runtime(settings, encoder=encoder)
    runtime.start()
    yield runtime
    runtime.close()


def wait_until_ready(client: TestClient, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.05)
    raise AssertionError(f"service not ready after {timeout}s: {client.get('/readyz').json()}")


@pytest.fixture
def client(settings: Settings, encoder: SentenceTransformerEncoder) -> Iterator[TestClient]:
    """Real HTTP through the real app, once it reports ready."""
    with TestClient(create_app(Runtime(settings, encoder=encoder))) as test_client:
        wait_until_ready(test_client)
        yield test_client


def load_demo(runtime: Runtime) -> None:
    loaded = ingest_service.load_scenario(
        session_factory=runtime.session_factory,
        claim_index=runtime.claim_index,
        directory=DEMO_DIR,
    )
    assert not loaded.sources.rejected and not loaded.claims.rejected


@pytest.fixture
def demo_client(client: TestClient) -> TestClient:
    """The app with the demo scenarios loaded."""
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    load_demo(runtime)
    return client


@pytest.fixture(scope="session")
def stance_engine(encoder: SentenceTransformerEncoder) -> StanceEngine:
    """The engine with the shipped, trained stance model."""
    engine = StanceEngine.from_directory(encoder, DEFAULT_STANCE_MODEL)
    assert engine.learned, f"no trained stance model shipped at {DEFAULT_STANCE_MODEL}"
    return engine


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A real 256 KiB tmpfs, for writes that must fail with ENOSPC; skipped where mounting is
    not permitted (not root, or no CAP_SYS_ADMIN in the container)."""
    mount_point = tmp_path / "small-fs"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs for a real full disk: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False, capture_output=True)


def judged_pairs(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The (claim, evidence) pairs ``runtime``'s judge is asked about from now on."""
    asked: list[tuple[str, str]] = []
    judge_pairs = runtime.judge.judge_pairs

    def recording(pairs: Sequence[tuple[str, str]], **options: Any) -> Any:
        asked.extend(pairs)
        return judge_pairs(pairs, **options)

    monkeypatch.setattr(runtime.judge, "judge_pairs", recording)
    return asked


def configured_client(
    tmp_path: Path, encoder: SentenceTransformerEncoder, **settings: Any
) -> TestClient:
    """A client of the real app on a fresh SQLite file with ``settings`` (graph off), not yet
    started: use it as a context manager, then ``wait_until_ready``."""
    url = f"sqlite:///{tmp_path / 'configured.db'}"
    upgrade(url)
    configured = Settings(
        database_url=url, index_dir=tmp_path / "index", stance_graph=False, **settings
    )
    return TestClient(create_app(Runtime(configured, encoder=encoder)))
