"""Which database is used, and what is refused: foreign files, unreachable servers, old schemas."""

import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from support import assert_error

from tracker.cli import main
from tracker.db.database import Database
from tracker.db.urls import default_path, redact, resolve_url


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_default_database_is_created_under_xdg_data_home(tmp_path):
    expected = tmp_path / "xdg" / "tracker" / "tracker.db"
    assert default_path() == expected
    assert run("db", "path").stdout == f"{expected}\n"
    assert not expected.exists()  # `db path` only says where
    assert run("list").exit_code == 0
    assert expected.exists()
    with sqlite3.connect(expected) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_tracker_db_environment_variable_and_db_option(tmp_path):
    env_db = tmp_path / "env.db"
    option_db = tmp_path / "option.db"
    assert run("db", "path", env={"TRACKER_DB": str(env_db)}).stdout == f"{env_db}\n"
    result = run("--db", str(option_db), "db", "path", env={"TRACKER_DB": str(env_db)})
    assert result.stdout == f"{option_db}\n"


def read_commands(tmp_path: Path) -> list[list[str]]:
    """Every command that only reads, and the dry runs of writes (they change nothing)."""
    claims = tmp_path / "claims.json"
    claims.write_text('{"claims": [{"text": "x", "said_on": "2022-05-23"}]}')
    return [
        ["list"], ["list", "--format", "json"], ["report"], ["due"], ["show", "1"],
        ["sources"], ["history"], ["inbox"], ["feeds", "list"], ["export"],
        ["export", "--output", str(tmp_path / "out.json")], ["db", "check"], ["db", "verify"],
        ["db", "current"], ["db", "backup", str(tmp_path / "backup.db")], ["undo", "--dry-run"],
        ["import", str(claims), "--dry-run"], ["withdraw", "1", "--reason", "r", "--dry-run"],
    ]  # fmt: skip


@pytest.mark.parametrize("how", ["option", "env"])
def test_a_read_of_a_mistyped_path_is_refused_and_creates_nothing(tmp_path, how):
    """A cron job's `due` on a misspelt TRACKER_DB must fail, not say "Nothing due"."""
    missing = tmp_path / "tracekr.db"
    for args in read_commands(tmp_path):
        if how == "option":
            result = run("--db", str(missing), *args)
        else:
            result = run(*args, env={"TRACKER_DB": str(missing)})
        assert_error(result, f"{missing} does not exist; a write (`tracker add`, `import`")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.json"], args


def test_a_write_creates_the_database_a_read_then_finds(tmp_path):
    new = tmp_path / "new.db"
    assert run("--db", str(new), "add", "A claim", "--said-on", "2022-05-23").exit_code == 0
    assert new.exists()
    assert "A claim" in run("--db", str(new), "list").stdout
    seeded = tmp_path / "seeded.db"
    assert run("--db", str(seeded), "seed").exit_code == 0
    assert run("--db", str(seeded), "sources").stdout.count("\n") > 3


def test_the_default_database_is_created_by_a_first_read_too(tmp_path):
    """No --db and no TRACKER_DB: no path to mistype, so a first `due` is a new user's,
    answered from a new empty database (spec 5: created on first use)."""
    result = run("due")
    assert result.exit_code == 0 and default_path().exists()


def test_urls_and_paths():
    assert resolve_url("sqlite:///x.db").database == "x.db"
    assert resolve_url("claims.db").database == str(Path("claims.db").absolute())
    assert resolve_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert resolve_url("mysql://u@h/db").drivername == "mysql+pymysql"
    assert resolve_url("mariadb://u@h/db").drivername == "mariadb+pymysql"
    assert resolve_url("mariadb+pymysql://u@h/db").drivername == "mariadb+pymysql"


@pytest.mark.parametrize("url", ["mysql://u@h", "mariadb://u@h/", "mysql+pymysql://u:p@h:3306"])
def test_a_mariadb_url_must_name_its_database(url):
    result = run("--db", url, "list")
    assert_error(result, "a MariaDB/MySQL URL names the tracker's database")
    assert ":p@" not in result.output


@pytest.mark.parametrize(
    ("url", "extra"),
    [("mysql://u@127.0.0.1:9/x", "mysql"), ("postgresql://u@127.0.0.1:9/x", "postgres")],
)
def test_a_missing_driver_names_the_extra_that_installs_it(url, extra, monkeypatch):
    for module in ("pymysql", "psycopg"):
        monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    assert_error(run("--db", url, "list"), f"(install it: pip install '.[{extra}]' in the tracker)")


@pytest.mark.parametrize(
    "content", [b"hello, this is not a database" * 10, b"\x00\xff" * 600, "é".encode() * 50]
)
def test_a_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    for args in (["list"], ["add", "x"], ["db", "upgrade"], ["db", "current"]):
        assert_error(run("--db", str(path), *args), "not a tracker database")
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_a_foreign_sqlite_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('bread')")
    conn.close()
    before = path.read_bytes()
    for args in (["list"], ["add", "x"], ["db", "upgrade"], ["seed"]):
        assert_error(run("--db", str(path), *args), "not a tracker database")
    assert path.read_bytes() == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_directory_or_a_missing_folder_is_refused(tmp_path):
    assert_error(run("--db", str(tmp_path), "list"), "is a directory")
    assert_error(run("--db", str(tmp_path / "no" / "such.db"), "list"), "does not exist")


def test_a_newer_schema_is_refused(sqlite_url):
    with sqlite3.connect(sqlite_url) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    conn.close()
    assert_error(run("--db", sqlite_url, "list"), "newer than this tracker")


def test_unreachable_server_is_one_line_without_the_password():
    password = "s3cr:t@p%ss"
    url = "postgresql+psycopg://alice:s3cr%3At%40p%25ss@127.0.0.1:9/claims"
    result = run("--db", url, "list")
    assert_error(result, "cannot connect to database", "alice:***@127.0.0.1:9/claims")
    for form in (password, "s3cr%3At%40p%25ss", "s3cr"):
        assert form not in result.output
    assert "s3cr" not in run("--db", url, "db", "path").output


@pytest.mark.parametrize(
    "said",
    [
        "cannot connect to postgresql://bob:p%40ss%3Aw@host/db",  # the URL as rendered
        "user bob:p@ss:w@host",  # the user part, raw
        "dsn: host=h password=p@ss:w dbname=db",  # a DSN
        "dsn: password='p@ss:w'",
        "args {'password': 'p@ss:w'}",  # a Python repr
        "query ?sslpassword=p%40ss%3Aw",
        "PASSWORD = p@ss:w",
    ],
)
def test_redact_hides_a_password_wherever_one_stands(said):
    url = resolve_url("postgresql://bob:p%40ss%3Aw@host/db?sslpassword=p%40ss%3Aw")
    hidden = redact(said, url)
    assert "***" in hidden
    assert "p@ss" not in hidden and "p%40ss" not in hidden


def test_a_password_in_the_query_shows_as_stars():
    shown = run("--db", "postgresql://u@h/db?sslmode=require&password=s3cret", "db", "path")
    assert shown.stdout == "postgresql+psycopg://u@h/db?password=***&sslmode=require\n"


@pytest.mark.parametrize("password", ["r", "e", "den", "database", "1"])
def test_redact_leaves_ordinary_words_whole(password):
    """A short password is not hunted in the words: "***efused" would shred the message and,
    by what it hid, tell the password."""
    said = "the database refused the change (permission denied for table claim 1)"
    url = resolve_url(f"postgresql://bob:{password}@host/db")
    assert redact(said, url) == said
    assert redact(f"{said} at bob:{password}@host", url) == f"{said} at bob:***@host"


@pytest.mark.parametrize("url", ["nosuchdriver://x/y", "postgresql://[bad"])
def test_bad_urls_are_refused(url):
    result = run("--db", url, "list")
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_an_empty_postgresql_database_must_be_upgraded_explicitly(postgres):
    url = postgres.create(f"{postgres.prefix}_empty")
    try:
        assert_error(run("--db", url, "list"), "tracker db upgrade")
        assert run("--db", url, "db", "upgrade").exit_code == 0
        assert run("--db", url, "list").stdout == "No claims match.\n"
    finally:
        postgres.drop(f"{postgres.prefix}_empty")


def test_a_failed_write_leaves_the_database_unchanged(tracker, db_url):
    """A command is one transaction: an error part-way through writes nothing."""
    tracker.ok("add", "first", "--said-on", "2022-05-23")
    # The source and the article are flushed before the window is found unreadable.
    result = tracker(
        "add", "second", "--source", "New Source", "--article-url", "https://example.com/new",
        "--expected", "whenever it suits them",
    )  # fmt: skip
    assert_error(result, "whenever it suits them")
    database = Database(resolve_url(db_url))
    tables = ("source", "article", "claim", "claim_event")
    try:
        counts = database.run(
            lambda s: [s.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables],
            write=False,
        )
    finally:
        database.dispose()
    assert counts == [0, 0, 1, 1]


def test_the_ledgers_rows_are_the_models_columns():
    """The write path sends rows straight to the driver in COLUMNS order: each table's
    columns are its model's (typed rows hold them in the model's order), and each index an
    import defers is one the models make."""
    from tracker.db.models import Base, declare_dialect_indexes
    from tracker.io.bulk import DEFERRABLE
    from tracker.ledger.rows import COLUMNS, ArticleRow, ChangesetRow, EventRow, EvidenceRow

    tables = Base.metadata.tables
    for table, columns in COLUMNS.items():
        assert set(columns) == {c.name for c in tables[table].columns}, table
    for table, row in [("changeset", ChangesetRow), ("article", ArticleRow),
                       ("evidence", EvidenceRow), ("claim_event", EventRow)]:  # fmt: skip
        assert row._fields == tuple(c.name for c in tables[table].columns), table
    declare_dialect_indexes()  # the partial and prefix indexes, as migrations see them
    indexes = {index.name for table in tables.values() for index in table.indexes}
    assert set(DEFERRABLE) <= indexes
