"""Database builtins: nothing half-done survives a failure (uncaught errors, failed commits), pools
hand connections between threads, and bad input is a Ruff error."""

from __future__ import annotations

import sqlite3
import threading
import time

from kit import call, raises, run_cli, write_program


def _run(tmp_path, source):
    return run_cli("run", write_program(tmp_path / "prog.ruff", source), timeout=120,
                   env={"PYTHONIOENCODING": "utf-8"})


def test_an_uncaught_error_inside_a_transaction_keeps_nothing(tmp_path):
    db_path = tmp_path / "app.db"
    proc = _run(tmp_path, f'''
db := db_connect("sqlite", "{db_path}")
db_execute(db, "CREATE TABLE t (n INTEGER)")
db_execute(db, "INSERT INTO t VALUES (1)")
db_begin(db)
db_execute(db, "INSERT INTO t VALUES (2)")
db_execute(db, "INSERT INTO t VALUES (3)")
x := 1 / 0
db_commit(db)
''')
    assert proc.returncode == 4 and "Division by zero" in proc.stderr and "Traceback" not in proc.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT n FROM t").fetchall() == [(1,)]


def test_a_failed_commit_rolls_back(tmp_path):
    db = call("db_connect", "sqlite", str(tmp_path / "fk.db"))
    call("db_execute", db, "PRAGMA foreign_keys = ON")
    call("db_execute", db, "CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    call("db_execute", db, "CREATE TABLE child (pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)")
    call("db_begin", db)
    call("db_execute", db, "INSERT INTO child VALUES (99)")  # checked only at COMMIT
    assert raises("db_commit", db) == "Failed to commit transaction: FOREIGN KEY constraint failed"
    assert call("db_query", db, "SELECT COUNT(*) AS n FROM child") == [{"n": 0}]
    assert call("db_begin", db) is True  # the failed transaction is over
    assert call("db_rollback", db) is True
    call("db_close", db)


def test_closing_or_releasing_with_an_open_transaction_rolls_back(tmp_path):
    path = str(tmp_path / "x.db")
    db = call("db_connect", "sqlite", path)
    call("db_execute", db, "CREATE TABLE t (n INTEGER)")
    call("db_begin", db)
    call("db_execute", db, "INSERT INTO t VALUES (1)")
    assert call("db_close", db) is True and call("db_close", db) is True
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)
    for name, args in (("db_query", [db, "SELECT 1"]), ("db_begin", [db]), ("db_last_insert_id", [db])):
        assert raises(name, *args) == "Database connection has been closed"


def test_pool_acquire_waits_for_a_release_from_another_thread(tmp_path):
    pool = call("db_pool", "sqlite", str(tmp_path / "p.db"), {"min_connections": 0, "max_connections": 1,
                                                               "connection_timeout": 5})
    first = call("db_pool_acquire", pool)

    def release_later():
        time.sleep(0.2)
        call("db_pool_release", pool, first)

    t = threading.Thread(target=release_later)
    start = time.monotonic()
    t.start()
    second = call("db_pool_acquire", pool)
    t.join()
    assert 0.15 < time.monotonic() - start < 4
    assert call("db_query", second, "SELECT 7 AS n") == [{"n": 7}]
    assert call("db_pool_stats", pool) == {"available": 0, "in_use": 1, "total": 1, "max": 1}


def test_connect_values_and_errors(tmp_path):
    raises("db_connect", "sqlite", str(tmp_path / "no" / "such" / "dir.db"),
           match="Failed to connect to SQLite: unable to open database file")
    raises("db_connect", "mysql", "mysql://h/db", match="Unsupported database type: mysql. Currently supported: 'sqlite'")
    uri = call("db_connect", "SQLite", f"file:{tmp_path / 'u.db'}?mode=rwc")
    assert call("db_execute", uri, "CREATE TABLE t (b BLOB, f REAL)") == 0
    call("db_execute", uri, "INSERT INTO t VALUES (?, ?)", [b"\x00\xff", 2])
    assert call("db_last_insert_id", uri) == 1.0 and type(call("db_last_insert_id", uri)) is float
    assert call("db_query", uri, "SELECT b, f FROM t") == [{"b": b"\x00\xff", "f": 2.0}]
    raises("db_query", uri, "SELECT * FROM t", [], 1, match="db_query requires 2 or 3 arguments")
    raises("db_execute", uri, "SELECT 1", match="Execute returned results - did you mean to call query?")
    raises("db_pool_release", "p", uri, match="db_pool_release requires a database pool as first argument")
    raises("db_pool", "sqlite", match="db_pool requires database type and connection string")
    pool = call("db_pool", "oracle", "x", {"min_connections": 0})
    raises("db_pool_acquire", pool, match="Failed to acquire connection: Unsupported database type: oracle")
