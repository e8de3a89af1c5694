"""The HTTP client builtins, with the reference's names, shapes and messages, on urllib3.

    http_get(url) / http_delete(url)          {"status": int, "body": string}
    http_post(url, body) / http_put(url, body) the same; body is a JSON string sent as application/json
    http_request(url, options) / http_request({"url": ..., ...})
                                              Ok({"status", "_status", "body", "_body", "headers"}) or
                                              Err(message); options: method, headers/_headers, body/_body,
                                              timeout (seconds)
    http_get_binary(url) / http_get_stream(url)
                                              the body as bytes; a non-2xx status is an error
    parallel_http(urls)                       [{"status", "body"} or an error value, ...] in order
    async_http_get(url) / async_http_post(url, body [, headers])
                                              a promise of {"status", "body", "headers"}

Any status is a response (a 404 is not an error, except for the binary/stream forms). Redirects are
followed (at most 10). Response header names are lowercase. A failure is a Ruff error
"<surface> failed: <why>", e.g. "HTTP GET failed: error sending request for url (http://127.0.0.1:1/):
Connection refused (os error 111)". Limits and the destination policy are in _net.py.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Optional

from ruff.runtime.dict_keys import from_text_pairs, text_items
from ruff.runtime.values import EnumValue, ErrorObject, RuffError
from ruff.runtime.builtins import _net
from ruff.runtime.builtins._util import Registry, rust_error_text

reg = Registry()


@dataclass(slots=True)
class HttpReply:
    """A received response: status, headers (lowercase names; the last of repeated ones) and raw body.
    `headers` is a plain str-keyed dict; `ruff_headers()` is the Ruff dict of them."""

    status: int
    headers: dict[str, str]
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def ruff_headers(self) -> dict:
        return from_text_pairs(self.headers.items())

    def reason(self) -> str:
        from http import HTTPStatus

        try:
            return f"{self.status} {HTTPStatus(self.status).phrase}"
        except ValueError:
            return str(self.status)


_pool: Any = None
_pool_lock = threading.Lock()


def _pool_manager() -> Any:
    global _pool
    with _pool_lock:
        if _pool is None:
            import urllib3

            _pool = urllib3.PoolManager(num_pools=16, maxsize=16)
        return _pool


def _shown_url(url: str) -> str:
    """The URL as the reference's client prints it (an empty path becomes "/")."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.path:
        return url
    return urlunsplit((parts.scheme, parts.netloc, "/", parts.query, parts.fragment))


def _cause(e: BaseException) -> str:
    """The innermost OS-level reason of a urllib3 failure."""
    seen = set()
    while id(e) not in seen:
        seen.add(id(e))
        inner = getattr(e, "reason", None) or e.__cause__ or e.__context__
        if inner is None or not isinstance(inner, BaseException):
            break
        e = inner
    if isinstance(e, OSError):
        return rust_error_text(e)
    text = str(e)
    if "timed out" in text.lower():
        return "operation timed out"
    return text or type(e).__name__


def fetch(surface: str, method: str, url: str, body: Optional[bytes] = None,
          headers: Optional[list[tuple[str, str]]] = None, timeout: float = _net.HTTP_TIMEOUT_S) -> HttpReply:
    """One request; any status is a reply. Raises RuffError "<surface> failed: ..." otherwise."""
    _net.check_url(url, surface)
    import urllib3

    pool = _pool_manager()
    retries = urllib3.Retry(total=10, connect=0, read=0, status=0, other=0, redirect=10, raise_on_redirect=False,
                            raise_on_status=False)
    try:
        resp = pool.request(method, url, body=body, headers=dict(headers or ()), retries=retries,
                            timeout=urllib3.Timeout(connect=timeout, read=timeout), preload_content=False,
                            redirect=True)
    except (urllib3.exceptions.HTTPError, OSError, ValueError) as e:
        raise RuffError(f"{surface} failed: error sending request for url ({_shown_url(url)}): {_cause(e)}") from None
    try:
        length = resp.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) > _net.MAX_BODY_BYTES:
            raise RuffError(f"{surface} failed: response body exceeds maximum network body size "
                            f"({length} bytes > {_net.MAX_BODY_BYTES} bytes)")
        try:
            data = resp.read(_net.MAX_BODY_BYTES + 1)
        except (urllib3.exceptions.HTTPError, OSError) as e:
            raise RuffError(f"{surface} failed while reading response body: {_cause(e)}") from None
        if len(data) > _net.MAX_BODY_BYTES:
            raise RuffError(f"{surface} failed: response body exceeds maximum network body size "
                            f"({len(data)} bytes > {_net.MAX_BODY_BYTES} bytes)")
        reply_headers = {k.lower(): v for k, v in resp.headers.items()}
        return HttpReply(resp.status, reply_headers, data)
    finally:
        resp.release_conn()


# ----------------------------------------------------------------------------- simple requests


def _status_body(reply: HttpReply) -> dict:
    return {"status": reply.status, "body": reply.text()}


def _with_headers(reply: HttpReply) -> dict:
    return {"status": reply.status, "body": reply.text(), "headers": reply.ruff_headers()}


def _url_arg(name: str, args: list, n: int, usage: str, wrong: str) -> str:
    if len(args) != n:
        raise RuffError(f"{name}() expects {n} argument{'s' if n != 1 else ''} ({usage}), got {len(args)}")
    if type(args[0]) is not str or (n == 2 and type(args[1]) is not str):
        raise RuffError(wrong)
    return args[0]


@reg("http_get", waits=True)
def http_get(rt: Any, args: list) -> dict:
    url = _url_arg("http_get", args, 1, "url", "http_get requires a URL string")
    return _status_body(fetch("HTTP GET", "GET", url))


_JSON = [("Content-Type", "application/json")]


@reg("http_post", waits=True)
def http_post(rt: Any, args: list) -> dict:
    url = _url_arg("http_post", args, 2, "url, body", "http_post requires URL and JSON body strings")
    return _status_body(fetch("HTTP POST", "POST", url, args[1].encode("utf-8"), _JSON))


@reg("http_put", waits=True)
def http_put(rt: Any, args: list) -> dict:
    url = _url_arg("http_put", args, 2, "url, body", "http_put requires URL and JSON body strings")
    return _status_body(fetch("HTTP PUT", "PUT", url, args[1].encode("utf-8"), _JSON))


@reg("http_delete", waits=True)
def http_delete(rt: Any, args: list) -> dict:
    url = _url_arg("http_delete", args, 1, "url", "http_delete requires a URL string")
    return _status_body(fetch("HTTP DELETE", "DELETE", url))


def _binary(surface: str, failed_status: str, url: str) -> bytes:
    reply = fetch(surface, "GET", url)
    if not 200 <= reply.status < 300:
        raise RuffError(f"{failed_status} {reply.reason()}")
    return reply.body


@reg("http_get_binary", waits=True)
def http_get_binary(rt: Any, args: list) -> bytes:
    url = _url_arg("http_get_binary", args, 1, "url", "http_get_binary requires a URL string")
    return _binary("HTTP GET request", "HTTP GET failed with status:", url)


@reg("http_get_stream", waits=True)
def http_get_stream(rt: Any, args: list) -> bytes:
    url = _url_arg("http_get_stream", args, 1, "url", "http_get_stream requires a URL string")
    return _binary("HTTP GET stream", "HTTP GET stream failed with status:", url)


# ----------------------------------------------------------------------------- http_request

_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _ok(v: Any) -> EnumValue:
    return EnumValue("Result", "Ok", (v,))


def _err(message: str) -> EnumValue:
    return EnumValue("Result", "Err", (message,))


def _string_pairs(v: Any) -> list[tuple[str, str]]:
    if type(v) is not dict:
        return []
    return [(k, x) for k, x in text_items(v) if type(x) is str]


@reg("http_request", waits=True)
def http_request(rt: Any, args: list) -> EnumValue:
    if len(args) not in (1, 2):
        raise RuffError(f"http_request() expects 1-2 arguments ((request), or (url, options)), got {len(args)}")
    if len(args) == 1:
        options = args[0]
        if type(options) is not dict:
            raise RuffError("http_request() single-argument form requires a request dictionary")
        url = options.get("url")
        if type(url) is not str or not url.strip():
            raise RuffError("http_request() request dictionary requires a non-empty 'url' string")
    else:
        url, options = args
        if type(url) is not str:
            raise RuffError("http_request() requires a URL string as first argument")
        if type(options) is not dict:
            raise RuffError("http_request() requires an options dictionary as second argument")
    method = options.get("method")
    method = method.upper() if type(method) is str else "GET"
    if not method or not set(method) <= _TOKEN_CHARS:
        return _err(f"Invalid HTTP method '{method}': invalid HTTP method")
    timeout = options.get("timeout")
    timeout = float(timeout) if type(timeout) in (int, float) else _net.HTTP_TIMEOUT_S
    timeout = max(timeout, 0.001) if timeout == timeout else _net.HTTP_TIMEOUT_S
    headers = options.get("_headers", options.get("headers"))
    body = options.get("_body", options.get("body"))
    data = body.encode("utf-8") if type(body) is str else None
    try:
        reply = fetch("HTTP request", method, url, data, _string_pairs(headers), timeout)
    except RuffError as e:
        return _err(e.message)
    text = reply.text()
    return _ok({"status": reply.status, "_status": reply.status, "body": text, "_body": text,
                "headers": reply.ruff_headers()})


# ----------------------------------------------------------------------------- several at once


@reg("parallel_http", waits=True)
def parallel_http(rt: Any, args: list) -> list:
    if len(args) != 1:
        raise RuffError(f"parallel_http() expects 1 argument (urls), got {len(args)}")
    if type(args[0]) is not list:
        raise RuffError("parallel_http requires an array of URL strings")
    urls = [u for u in args[0] if type(u) is str]
    if not urls:
        return []
    from concurrent.futures import ThreadPoolExecutor

    def one(url: str) -> Any:
        try:
            return _status_body(fetch("HTTP GET", "GET", url))
        except RuffError as e:
            return ErrorObject(e.message)

    with ThreadPoolExecutor(max_workers=min(len(urls), 64)) as pool:
        return list(pool.map(one, urls))


def _start(rt: Any, body: Any) -> Any:
    from ruff.runtime import concurrency

    return concurrency.start_task(rt, lambda fork: body(), name="http")


@reg("async_http_get")
def async_http_get(rt: Any, args: list) -> Any:
    if len(args) != 1:
        raise RuffError(f"async_http_get() expects 1 argument (url), got {len(args)}")
    url = args[0]
    if type(url) is not str:
        raise RuffError("async_http_get() requires a string URL argument")
    return _start(rt, lambda: _with_headers(fetch("HTTP GET", "GET", url)))


@reg("async_http_post")
def async_http_post(rt: Any, args: list) -> Any:
    if len(args) not in (2, 3):
        raise RuffError(f"async_http_post() expects 2-3 arguments (url, body, headers?), got {len(args)}")
    url, body = args[0], args[1]
    if type(url) is not str:
        raise RuffError("async_http_post() requires a string URL argument")
    if type(body) is not str:
        raise RuffError("async_http_post() requires a string body argument")
    headers: list[tuple[str, str]] = []
    if len(args) == 3:
        if type(args[2]) is not dict:
            raise RuffError("async_http_post() headers must be a dictionary")
        headers = _string_pairs(args[2])
    data = body.encode("utf-8")
    return _start(rt, lambda: _with_headers(fetch("HTTP POST", "POST", url, data, headers)))


__all__ = ["reg", "fetch", "HttpReply"]
