"""Shared fixtures: temporary stores on each backend, the seed folder, the label schema.

Store-backed fixtures (`db`, `store`, `databases`) are parameterised by backend:
``sqlite`` always, ``postgres`` when ``$ANNOTATOR_TEST_PG`` names a PostgreSQL server
where the tests may create databases and schemas (an SQLAlchemy URL, e.g. the one
``scripts/pg-throwaway start`` prints). Without it the postgres cases are skipped, except
under CI (``$CI`` set), where a missing server is an error: CI never silently loses the
PostgreSQL run.

On PostgreSQL every test gets a schema of its own (the URL's
``?options=-csearch_path=…``), dropped afterwards. The schemas live in one database made
for the session with a linguistic collation (ICU ``en``, as a team's server typically
has), so an ORDER BY that depends on the collation shows up as a difference from SQLite.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from annotator.labelschema import LabelSchema, load_schema
from annotator.store.service import Store

# CI runs the property tests with a fixed seed (a red build always reproduces); local runs
# explore new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

PG_ENV = "ANNOTATOR_TEST_PG"
BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def schema() -> LabelSchema:
    return load_schema()


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A SQLite database file (for the tests that are about SQLite itself)."""
    return tmp_path / "test.db"


# ------------------------------------------------------------------ PostgreSQL
def _psycopg_url(url: str) -> str:
    """libpq's form of an SQLAlchemy URL (psycopg.connect takes no driver name)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


class PgServer:
    """The server named by $ANNOTATOR_TEST_PG, for one test session: a database of our own
    (ICU collation when the server can make one, else the URL's database), schemas in it."""

    def __init__(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        self.admin = make_url(url)
        if self.admin.drivername == "postgresql":
            self.admin = self.admin.set(drivername="postgresql+psycopg")
        self.base = self.admin
        self.created: str | None = None
        name = f"annotator_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        try:
            self._exec(self.admin, f'CREATE DATABASE "{name}" TEMPLATE template0 '
                                   "ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en'")
        except Exception:  # no CREATEDB right, or a server without ICU: the URL's database
            return
        self.created = name
        self.base = self.admin.set(database=name)

    @staticmethod
    def _exec(url, sql: str) -> None:  # noqa: ANN001 (sqlalchemy URL)
        import psycopg

        with psycopg.connect(_psycopg_url(url.render_as_string(hide_password=False)),
                             autocommit=True) as conn:
            conn.execute(sql)

    def new_schema(self) -> tuple[str, str]:
        """(schema name, SQLAlchemy URL whose connections use only that schema)."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._exec(self.base, f'CREATE SCHEMA "{name}"')
        url = self.base.update_query_dict({
            "options": f"-csearch_path={name}", "application_name": name,
        }).render_as_string(hide_password=False)
        return name, url

    def drop_schema(self, name: str) -> None:
        # connections a test left open (an engine not disposed) must not hold the DROP up
        self._exec(self.base, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              f"WHERE application_name = '{name}' AND pid <> pg_backend_pid()")
        self._exec(self.base, f'DROP SCHEMA IF EXISTS "{name}" CASCADE')

    def close(self) -> None:
        if self.created:
            self._exec(self.admin, f'DROP DATABASE IF EXISTS "{self.created}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"${PG_ENV} is not set: CI must run the PostgreSQL tests", pytrace=False)
        pytest.skip(f"${PG_ENV} is not set (an SQLAlchemy URL of a PostgreSQL server; "
                    "scripts/pg-throwaway start DIR prints one)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail("psycopg is not installed: pip install -e '.[postgres]'", pytrace=False)
    server = PgServer(url)
    yield server
    server.close()


class Databases:
    """Fresh, isolated databases of one backend: SQLite files under a temporary folder, or
    PostgreSQL schemas. `new` returns what `--db` takes (a path or a URL)."""

    def __init__(self, backend: str, folder: Path, pg: PgServer | None) -> None:
        self.backend = backend
        self.folder = folder
        self.pg = pg
        self._schemas: list[str] = []

    def new(self, name: str = "test") -> str:
        if self.backend == "sqlite":
            return str(self.folder / f"{name}.db")
        assert self.pg is not None
        schema_name, url = self.pg.new_schema()
        self._schemas.append(schema_name)
        return url

    def drop(self) -> None:
        assert self.pg is not None or not self._schemas
        for name in self._schemas:
            self.pg.drop_schema(name)  # type: ignore[union-attr]
        self._schemas.clear()


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The store backend a test runs on (module-scoped: a module runs once per backend)."""
    if request.param == "postgres":
        request.getfixturevalue("pg_server")
    return request.param


def _databases(request: pytest.FixtureRequest, backend: str, folder: Path) -> Iterator[Databases]:
    pg = request.getfixturevalue("pg_server") if backend == "postgres" else None
    dbs = Databases(backend, folder, pg)
    yield dbs
    dbs.drop()


@pytest.fixture
def databases(request: pytest.FixtureRequest, backend: str,
              tmp_path: Path) -> Iterator[Databases]:
    """Make as many fresh databases of the test's backend as the test needs."""
    yield from _databases(request, backend, tmp_path)


@pytest.fixture(scope="module")
def module_databases(request: pytest.FixtureRequest, backend: str,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """`databases` for module-scoped fixtures (a corpus built once per module)."""
    yield from _databases(request, backend, tmp_path_factory.mktemp("dbs"))


@pytest.fixture
def databases_on(request: pytest.FixtureRequest,
                 tmp_path: Path) -> Iterator[Callable[[str], Databases]]:
    """`databases_on("sqlite")`, `databases_on("postgres")`: fresh databases of a named
    backend, for a test that compares the backends (postgres needs $ANNOTATOR_TEST_PG)."""
    made: list[Databases] = []

    def make(backend: str) -> Databases:
        pg = request.getfixturevalue("pg_server") if backend == "postgres" else None
        folder = tmp_path / f"db-{backend}"
        folder.mkdir(exist_ok=True)
        made.append(Databases(backend, folder, pg))
        return made[-1]

    yield make
    for dbs in made:
        dbs.drop()


@pytest.fixture
def db(databases: Databases) -> str:
    """The `--db` argument of a fresh database of the test's backend: a path or a URL."""
    return databases.new("test")


@pytest.fixture
def store(db: str, schema: LabelSchema) -> Iterator[Store]:
    s = Store.open(db, label_checker=schema)
    yield s
    s.close()

