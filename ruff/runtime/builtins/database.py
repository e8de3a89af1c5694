"""Databases: db_connect, db_execute, db_query, db_close, db_begin, db_commit, db_rollback,
db_last_insert_id, and connection pools (db_pool, db_pool_acquire, db_pool_release, db_pool_stats,
db_pool_close), on Python's sqlite3.

Argument orders, results and messages are the reference's: `db_connect("sqlite", path)` (":memory:"
and "file:" URIs too), `db_execute(db, sql, params?)` -> rows changed, `db_query(db, sql, params?)` ->
array of dicts keyed by column name, `db_last_insert_id` -> a float (as the reference returns it),
errors such as "SQLite execution error: no such table: users" or "No transaction in progress. Use
db_begin() first.". Parameters bind `?` placeholders: strings, ints, floats, bools (as 0/1), null and
bytes (as a BLOB).

Only SQLite is built in: "postgres" and "mysql" are refused with "Unsupported database type".
Where this does more than the reference, it is so that nothing is lost: BLOB columns come back as bytes
(the reference gives the text "[blob]"), a value that has no SQL form is an error (the reference stores
its debug text), db_close really closes (later use is the error "Database connection has been
closed"), and a transaction still open when its connection is closed, released to a pool or dropped
is rolled back, as is one whose COMMIT fails.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from ruff.runtime.dict_keys import text_key
from ruff.runtime.values import OPAQUE_DISPLAY, RuffError
from ruff.runtime.builtins._util import Registry, type_name_of

reg = Registry()

SUPPORTED = "Currently supported: 'sqlite'"
POOL_DEFAULTS = {"min_connections": 5, "max_connections": 20, "connection_timeout": 30}
POOL_WAIT_SECONDS = 0.1


class Database:
    """One connection (db_connect's or db_pool_acquire's result). `conn` is None once it is closed."""

    __slots__ = ("conn", "db_type", "connection_string", "in_transaction", "lock")
    ruff_type_name = "database"

    def __init__(self, conn: Any, connection_string: str) -> None:
        self.conn = conn
        self.db_type = "sqlite"
        self.connection_string = connection_string
        self.in_transaction = False
        self.lock = threading.RLock()

    def ruff_display(self) -> str:
        return OPAQUE_DISPLAY

    def ruff_debug(self) -> str:
        return f"Database(type={self.db_type}, connection={self.connection_string})"

    def open_conn(self) -> Any:
        if self.conn is None:
            raise RuffError("Database connection has been closed")
        return self.conn

    def close(self) -> None:
        with self.lock:
            conn, self.conn = self.conn, None
            self.in_transaction = False
            if conn is not None:
                _rollback_quietly(conn)
                conn.close()


def _rollback_quietly(conn: Any) -> None:
    import sqlite3

    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _open(connection_string: str) -> Any:
    """A new autocommit connection (transactions are begun explicitly, as the reference does)."""
    import sqlite3

    return sqlite3.connect(connection_string, isolation_level=None, check_same_thread=False, uri=True)


def _unsupported(db_type: str) -> RuffError:
    return RuffError(f"Unsupported database type: {db_type}. {SUPPORTED}")


@reg("db_connect")
def db_connect(rt: Any, args: list) -> Database:
    """db_connect("sqlite", path) -> a connection."""
    if len(args) != 2 or type(args[0]) is not str or type(args[1]) is not str:
        raise RuffError("db_connect requires database type ('sqlite'|'postgres'|'mysql') and connection string")
    import sqlite3

    db_type, connection_string = args
    if db_type.lower() != "sqlite":
        raise _unsupported(db_type)
    try:
        return Database(_open(connection_string), connection_string)
    except sqlite3.Error as e:
        raise RuffError(f"Failed to connect to SQLite: {e}") from None


def _db_arg(name: str, args: list) -> Database:
    if not args or type(args[0]) is not Database:
        raise RuffError(f"{name} requires a database connection as first argument")
    return args[0]


def _sql_value(name: str, v: Any) -> Any:
    t = type(v)
    if t is str or t is int or t is float or t is bool or t is bytes or v is None:
        return v
    raise RuffError(f"{name}: cannot bind a value of type {type_name_of(v)} as an SQL parameter")


def _statement(name: str, args: list) -> tuple[Database, str, list]:
    if len(args) > 3:
        raise RuffError(f"{name} requires 2 or 3 arguments: connection, SQL string, optional params array")
    db = _db_arg(name, args)
    if len(args) < 2 or type(args[1]) is not str:
        raise RuffError(f"{name} requires SQL string as second argument")
    params = args[2] if len(args) == 3 and type(args[2]) is list else []
    return db, args[1], [_sql_value(name, p) for p in params]


def _sqlite_message(e: Exception) -> str:
    """rusqlite's text where Python's differs; otherwise SQLite's own message."""
    text = str(e)
    if "one statement at a time" in text:
        return "Multiple statements provided"
    return text


@reg("db_execute")
def db_execute(rt: Any, args: list) -> int:
    """db_execute(db, sql, params?) -> how many rows the statement changed."""
    import sqlite3

    db, sql, params = _statement("db_execute", args)
    with db.lock:
        conn = db.open_conn()
        try:
            cur = conn.execute(sql, params)
        except (sqlite3.Error, ValueError) as e:
            raise RuffError(f"SQLite execution error: {_sqlite_message(e)}") from None
        try:
            if cur.description is not None:
                raise RuffError("SQLite execution error: Execute returned results - did you mean to call query?")
            return max(cur.rowcount, 0)
        finally:
            cur.close()


@reg("db_query")
def db_query(rt: Any, args: list) -> list:
    """db_query(db, sql, params?) -> one dict per row, keyed by column name."""
    import sqlite3

    db, sql, params = _statement("db_query", args)
    with db.lock:
        conn = db.open_conn()
        try:
            cur = conn.execute(sql, params)
        except (sqlite3.OperationalError, sqlite3.ProgrammingError, ValueError) as e:
            raise RuffError(f"SQLite prepare error: {_sqlite_message(e)}") from None
        except sqlite3.Error as e:
            raise RuffError(f"SQLite query error: {e}") from None
        try:
            names = [text_key(d[0]) for d in cur.description] if cur.description else []  # `SELECT 1`: "1"
            rows = []
            try:
                for row in cur:
                    rows.append(dict(zip(names, row)))
            except sqlite3.Error as e:
                raise RuffError(f"SQLite row error: {e}") from None
            return rows
        finally:
            cur.close()


@reg("db_close")
def db_close(rt: Any, args: list) -> bool:
    """db_close(db) -> true; an open transaction is rolled back."""
    if len(args) != 1 or type(args[0]) is not Database:
        raise RuffError("db_close requires a database connection")
    args[0].close()
    return True


# ----------------------------------------------------------------------------- transactions


def _transaction_db(name: str, args: list) -> Database:
    if len(args) > 1:
        raise RuffError(f"{name} requires a database connection as first argument")
    return _db_arg(name, args)


@reg("db_begin")
def db_begin(rt: Any, args: list) -> bool:
    import sqlite3

    db = _transaction_db("db_begin", args)
    with db.lock:
        if db.in_transaction:
            raise RuffError("Transaction already in progress. Commit or rollback first.")
        conn = db.open_conn()
        try:
            conn.execute("BEGIN TRANSACTION")
        except sqlite3.Error as e:
            raise RuffError(f"Failed to begin transaction: {e}") from None
        db.in_transaction = True
    return True


@reg("db_commit")
def db_commit(rt: Any, args: list) -> bool:
    """db_commit(db) -> true. A COMMIT that fails rolls the transaction back before the error."""
    import sqlite3

    db = _transaction_db("db_commit", args)
    with db.lock:
        if not db.in_transaction:
            raise RuffError("No transaction in progress. Use db_begin() first.")
        conn = db.open_conn()
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            _rollback_quietly(conn)
            db.in_transaction = False
            raise RuffError(f"Failed to commit transaction: {e}") from None
        db.in_transaction = False
    return True


@reg("db_rollback")
def db_rollback(rt: Any, args: list) -> bool:
    import sqlite3

    db = _transaction_db("db_rollback", args)
    with db.lock:
        if not db.in_transaction:
            raise RuffError("No transaction in progress. Use db_begin() first.")
        conn = db.open_conn()
        try:
            if conn.in_transaction:  # SQLite may already have rolled back (e.g. after a full disk)
                conn.execute("ROLLBACK")
        except sqlite3.Error as e:
            raise RuffError(f"Failed to rollback transaction: {e}") from None
        db.in_transaction = False
    return True


@reg("db_last_insert_id")
def db_last_insert_id(rt: Any, args: list) -> float:
    """db_last_insert_id(db) -> the rowid of the last INSERT on this connection, as a float."""
    if len(args) > 1:
        raise RuffError("db_last_insert_id requires a database connection as first argument")
    db = _db_arg("db_last_insert_id", args)
    with db.lock:
        cur = db.open_conn().cursor()
        try:
            return float(cur.execute("SELECT last_insert_rowid()").fetchone()[0])
        finally:
            cur.close()


# ----------------------------------------------------------------------------- pools


class DatabasePool:
    """Connections to one database, made on demand up to max_connections and handed out again after
    db_pool_release; db_pool_acquire waits up to connection_timeout seconds for one to come back."""

    __slots__ = ("db_type", "connection_string", "max_connections", "timeout", "available", "in_use", "total", "cond")
    ruff_type_name = "databasepool"

    def __init__(self, db_type: str, connection_string: str, max_connections: int, timeout: int) -> None:
        self.db_type = db_type
        self.connection_string = connection_string
        self.max_connections = max_connections
        self.timeout = timeout
        self.available: list[Any] = []
        self.in_use = 0
        self.total = 0
        self.cond = threading.Condition()

    def ruff_display(self) -> str:
        return OPAQUE_DISPLAY

    def ruff_debug(self) -> str:
        return f"DatabasePool(type={self.db_type}, max={self.max_connections})"

    def acquire(self) -> Database:
        import sqlite3

        deadline = time.monotonic() + self.timeout
        with self.cond:
            while True:
                if self.available:
                    self.in_use += 1
                    return Database(self.available.pop(0), self.connection_string)
                if self.total < self.max_connections:
                    if self.db_type.lower() != "sqlite":
                        raise RuffError(f"Failed to acquire connection: {_unsupported(self.db_type).message}")
                    try:
                        conn = _open(self.connection_string)
                    except sqlite3.Error as e:
                        raise RuffError(f"Failed to acquire connection: Failed to create SQLite connection: {e}") \
                            from None
                    self.total += 1
                    self.in_use += 1
                    return Database(conn, self.connection_string)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuffError("Failed to acquire connection: Connection pool timeout: all connections are in use")
                self.cond.wait(min(left, POOL_WAIT_SECONDS))

    def release(self, db: Database) -> None:
        with db.lock:
            conn, db.conn = db.conn, None  # the pool owns it again; this handle is spent
            db.in_transaction = False
        with self.cond:
            if conn is not None:
                _rollback_quietly(conn)
                self.available.append(conn)
            elif self.total > 0:
                self.total -= 1  # closed while out: the pool may make a new one in its place
            if self.in_use > 0:
                self.in_use -= 1
            self.cond.notify()

    def stats(self) -> dict:
        with self.cond:
            return {"available": len(self.available), "in_use": self.in_use, "total": self.total,
                    "max": self.max_connections}

    def close(self) -> None:
        with self.cond:
            for conn in self.available:
                _rollback_quietly(conn)
                conn.close()
            self.available.clear()
            self.in_use = 0
            self.total = 0


def _pool_setting(config: dict, key: str) -> int:
    v = config.get(key)
    if type(v) is int:
        return max(v, 0)
    if type(v) is float and v == v and abs(v) != float("inf"):
        return max(int(v), 0)
    return POOL_DEFAULTS[key]


@reg("db_pool")
def db_pool(rt: Any, args: list) -> DatabasePool:
    """db_pool(db_type, connection_string, config?) -> a pool; config may set min_connections (5),
    max_connections (20) and connection_timeout (seconds, 30)."""
    if len(args) > 3:
        raise RuffError("db_pool requires 2 or 3 arguments: database type, connection string, optional config dict")
    if len(args) < 2 or type(args[0]) is not str or type(args[1]) is not str:
        raise RuffError("db_pool requires database type and connection string")
    config: dict = {}
    if len(args) == 3:
        if type(args[2]) is not dict:
            raise RuffError("db_pool optional config argument must be a dictionary")
        config = args[2]
    low, high = _pool_setting(config, "min_connections"), _pool_setting(config, "max_connections")
    if low > high:
        raise RuffError("Failed to create connection pool: min_connections cannot be greater than max_connections")
    return DatabasePool(args[0], args[1], high, _pool_setting(config, "connection_timeout"))


def _pool_arg(name: str, args: list, n: int) -> DatabasePool:
    if len(args) > n or not args or type(args[0]) is not DatabasePool:
        raise RuffError(f"{name} requires a database pool")
    return args[0]


@reg("db_pool_acquire", waits=True)
def db_pool_acquire(rt: Any, args: list) -> Database:
    return _pool_arg("db_pool_acquire", args, 1).acquire()


@reg("db_pool_release")
def db_pool_release(rt: Any, args: list) -> bool:
    """db_pool_release(pool, db) -> true; an open transaction on db is rolled back first."""
    if len(args) > 2:
        raise RuffError("db_pool_release requires two arguments: database pool and database connection")
    if not args or type(args[0]) is not DatabasePool:
        raise RuffError("db_pool_release requires a database pool as first argument")
    if len(args) < 2 or type(args[1]) is not Database:
        raise RuffError("db_pool_release requires a database connection as second argument")
    args[0].release(args[1])
    return True


@reg("db_pool_stats")
def db_pool_stats(rt: Any, args: list) -> dict:
    """db_pool_stats(pool) -> {"available", "in_use", "total", "max"}."""
    return _pool_arg("db_pool_stats", args, 1).stats()


@reg("db_pool_close")
def db_pool_close(rt: Any, args: list) -> bool:
    _pool_arg("db_pool_close", args, 1).close()
    return True

