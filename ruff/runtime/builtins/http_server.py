"""The HTTP server builtins and their values, as the reference's server model.

    http_server(port) / http_listen(host, port)
                          an HttpServer value (host "0.0.0.0" for http_server); nothing is bound yet
    server.route(method, path, handler)
                          a NEW server with the route added (values are immutable: `s = s.route(...)`);
                          a path segment ":name" captures that segment into req["params"]["name"]
    server.listen() / server.start()
                          prints "Starting HTTP server on H:P...", binds, prints "Server listening on
                          http://H:P" and "Press Ctrl+C to stop", then serves until the program ends
                          (Ctrl+C, or `exit()`; a server listening on a spawned task stops with the program)
    http_response(status, body) / json_response(status, data) / html_response(status, html) /
    redirect_response(url [, headers])
                          HttpResponse values; json_ and html_ set Content-Type, redirect_ is a 302 with Location
    set_header(response, name, value) / set_headers(response, dict)
                          a NEW response with the header(s) set

A handler gets one dict: method, path, raw_path, body, params, query (raw values), query_decoded,
query_string, headers. It must return an HttpResponse; a Ruff error in it answers 500 with the error's
message, any other value 500 "Internal Server Error: route handler must return an HTTP response".
An unknown route is 404 "Not Found". Exact routes win over ":param" routes; the first match wins.

Like the reference (tiny_http), connections are read and written on worker threads while the handlers
run one at a time on the Ruff thread that called listen(), so a handler sees the program's globals and
never runs concurrently with another handler.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from typing import Any, Optional

from ruff.runtime.dict_keys import canonical, from_text_pairs, text_items
from ruff.runtime.values import OPAQUE_DISPLAY, Builtin, RuffError
from ruff.runtime.builtins._util import Registry, flush_output, guard, is_callable, rust_error_text

reg = Registry()


class HttpServer:
    """An unbound server: where to listen and its routes, (method, path, handler) in registration order."""

    ruff_type_name = "httpserver"
    __slots__ = ("host", "port", "routes")

    def __init__(self, host: str, port: int, routes: tuple = ()) -> None:
        self.host = host
        self.port = port
        self.routes = routes

    def ruff_display(self) -> str:
        return OPAQUE_DISPLAY

    def ruff_debug(self) -> str:
        return f"HttpServer(host: {self.host}, port: {self.port})"


class HttpResponse:
    """What a route handler answers: a status, a text body and headers (name -> value, a plain str-keyed
    dict: what is sent, never a Ruff dict)."""

    ruff_type_name = "httpresponse"
    __slots__ = ("status", "body", "headers")

    def __init__(self, status: int, body: str, headers: Optional[dict[str, str]] = None) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}

    def ruff_display(self) -> str:
        return OPAQUE_DISPLAY

    def ruff_debug(self) -> str:
        return f"HttpResponse(status: {self.status})"


def _u16(n: int) -> int:
    return n & 0xFFFF  # the reference stores ports and statuses as u16 (`as` wraps)


# ----------------------------------------------------------------------------- constructors


@reg("http_server")
def http_server(rt: Any, args: list) -> HttpServer:
    if len(args) != 1:
        raise RuffError(f"http_server() expects 1 argument (port), got {len(args)}")
    if type(args[0]) is not int:
        raise RuffError("http_server requires a port number")
    return HttpServer("0.0.0.0", _u16(args[0]))


@reg("http_listen")
def http_listen(rt: Any, args: list) -> HttpServer:
    if len(args) != 2:
        raise RuffError(f"http_listen() expects 2 arguments (host, port), got {len(args)}")
    host, port = args
    if type(host) is not str or type(port) is not int:
        raise RuffError("http_listen requires host string and port number")
    if not host.strip():
        raise RuffError("http_listen requires a non-empty host string")
    return HttpServer(host.strip(), _u16(port))


def _status_text(name: str, args: list, usage: str, wrong: str) -> tuple[int, Any]:
    if len(args) != 2:
        raise RuffError(f"{name}() expects 2 arguments ({usage}), got {len(args)}")
    if type(args[0]) is not int:
        raise RuffError(wrong)
    return _u16(args[0]), args[1]


@reg("http_response")
def http_response(rt: Any, args: list) -> HttpResponse:
    status, body = _status_text("http_response", args, "status, body",
                                "http_response requires status code and body string")
    if type(body) is not str:
        raise RuffError("http_response requires status code and body string")
    return HttpResponse(status, body)


@reg("json_response")
def json_response(rt: Any, args: list) -> HttpResponse:
    status, data = _status_text("json_response", args, "status, data", "json_response requires status code and data")
    from ruff.runtime.builtins.json import to_json_text

    try:
        body = to_json_text(data)
    except RuffError as e:
        raise RuffError(f"json_response failed to serialize data: {e.message}") from None
    return HttpResponse(status, body, {"Content-Type": "application/json"})


@reg("html_response")
def html_response(rt: Any, args: list) -> HttpResponse:
    status, html = _status_text("html_response", args, "status, html",
                                "html_response requires status code and HTML string")
    if type(html) is not str:
        raise RuffError("html_response requires status code and HTML string")
    return HttpResponse(status, html, {"Content-Type": "text/html; charset=utf-8"})


@reg("redirect_response")
def redirect_response(rt: Any, args: list) -> HttpResponse:
    if len(args) not in (1, 2):
        raise RuffError(f"redirect_response() expects 1-2 arguments (url, headers?), got {len(args)}")
    url = args[0]
    if type(url) is not str:
        raise RuffError("redirect_response requires a URL string")
    headers = {"Location": url}
    if len(args) == 2 and type(args[1]) is dict:
        headers.update((k, v) for k, v in text_items(args[1]) if type(v) is str)
    return HttpResponse(302, f"Redirecting to {url}", headers)


@reg("set_header")
def set_header(rt: Any, args: list) -> HttpResponse:
    if len(args) != 3:
        raise RuffError(f"set_header() expects 3 arguments (response, name, value), got {len(args)}")
    response, key, value = args
    if type(key) is not str or type(value) is not str:
        raise RuffError("set_header requires response, header name, and header value")
    if type(response) is not HttpResponse:
        raise RuffError("set_header requires an HTTP response as first argument")
    return HttpResponse(response.status, response.body, {**response.headers, key: value})


@reg("set_headers")
def set_headers(rt: Any, args: list) -> HttpResponse:
    if len(args) != 2:
        raise RuffError(f"set_headers() expects 2 arguments (response, headers), got {len(args)}")
    response, headers = args
    if type(headers) is not dict:
        raise RuffError("set_headers requires response and headers dictionary")
    if type(response) is not HttpResponse:
        raise RuffError("set_headers requires an HTTP response as first argument")
    merged = dict(response.headers)
    merged.update((k, v) for k, v in text_items(headers) if type(v) is str)
    return HttpResponse(response.status, response.body, merged)


# ----------------------------------------------------------------------------- server methods


def _server(name: str, args: list) -> HttpServer:
    if not args or type(args[0]) is not HttpServer:
        raise RuffError("Expected HttpServer for HTTP server method call")
    return args[0]


def route(rt: Any, args: list) -> HttpServer:
    server = _server("route", args)
    rest = args[1:]
    if len(rest) != 3 or type(rest[0]) is not str or type(rest[1]) is not str or not is_callable(rest[2]):
        raise RuffError("route() requires (method, path, handler_function)")
    return HttpServer(server.host, server.port, server.routes + ((rest[0], rest[1], rest[2]),))


def _listen_method(method: str) -> Any:
    def listen(rt: Any, args: list) -> int:
        server = _server(method, args)
        if len(args) != 1:
            raise RuffError(f"HttpServer.{method} expects 0 arguments, got {len(args) - 1}")
        serve(rt, server)
        return 0

    return listen


# ----------------------------------------------------------------------------- serving


@dataclass
class _Pending:
    """A parsed request waiting for the Ruff thread's answer."""

    method: str
    raw_path: str
    headers: list[tuple[str, str]]
    body: bytes
    done: threading.Event = field(default_factory=threading.Event)
    status: int = 500
    reply_headers: dict[str, str] = field(default_factory=dict)
    reply_body: str = ""


def match_route(pattern: str, path: str) -> Optional[dict[str, str]]:
    """The ":name" captures when `path` fits `pattern` segment by segment, else None."""
    want, got = pattern.split("/"), path.split("/")
    if len(want) != len(got):
        return None
    params: dict[str, str] = {}
    for w, g in zip(want, got):
        if w.startswith(":"):
            params[w[1:]] = g
        elif w != g:
            return None
    return params


def _query(raw: str, decode: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in raw.split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        if not key:
            continue
        if decode:
            key, value = _decode_component(key), _decode_component(value)
        out[key] = value
    return out


def _decode_component(text: str) -> str:
    """Percent-decoding with "+" as space; a malformed or non-UTF-8 component stays as it was."""
    import re

    if re.search(r"%(?![0-9A-Fa-f]{2})", text):
        return text
    from urllib.parse import unquote_to_bytes

    try:
        return unquote_to_bytes(text.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        return text


def _request_value(p: _Pending, path: str, query: str, params: dict[str, str]) -> dict:
    return {
        "method": p.method, "path": path, "raw_path": p.raw_path, "body": p.body.decode("utf-8", "replace"),
        "params": from_text_pairs(params.items()), "query": canonical(_query(query, False)),
        "query_decoded": canonical(_query(query, True)), "query_string": query,
        "headers": from_text_pairs(p.headers),
    }


def _answer(rt: Any, server: HttpServer, p: _Pending) -> None:
    path, _, query = p.raw_path.partition("?")
    found = None
    for method, pattern, handler in server.routes:
        if method == p.method and pattern == path:
            found = (handler, {})
            break
    if found is None:
        for method, pattern, handler in server.routes:
            if method == p.method and ":" in pattern:
                params = match_route(pattern, path)
                if params is not None:
                    found = (handler, params)
                    break
    if found is None:
        p.status, p.reply_body = 404, "Not Found"
        return
    handler, params = found
    from ruff.runtime.objects import await_value

    try:
        result = await_value(rt.call(handler, [_request_value(p, path, query, params)]))
    except RuffError as e:
        p.status, p.reply_body = 500, e.message
        return
    if type(result) is not HttpResponse:
        p.status, p.reply_body = 500, "Internal Server Error: route handler must return an HTTP response"
        return
    p.status, p.reply_body, p.reply_headers = result.status, result.body, dict(result.headers)


def _handler_class(inbox: "queue.Queue[_Pending]") -> Any:
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def version_string(self) -> str:
            return "Ruff"

        def __getattr__(self, name: str) -> Any:
            if name.startswith("do_"):  # every method goes to the routes, as in the reference
                return self._dispatch
            raise AttributeError(name)

        def _body(self) -> bytes:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                parts = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline().strip():
                            pass
                        return b"".join(parts)
                    parts.append(self.rfile.read(size))
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length > 0 else b""

        def _dispatch(self) -> None:
            try:
                body = self._body()
            except ValueError:
                self.send_error(400, "Bad Request")
                return
            p = _Pending(self.command, self.path, list(self.headers.items()), body)
            inbox.put(p)
            p.done.wait()
            data = p.reply_body.encode("utf-8")
            self.send_response(p.status)
            if not any(k.lower() == "content-type" for k in p.reply_headers):
                self.send_header("Content-Type", "text/plain; charset=UTF-8")
            for k, v in p.reply_headers.items():
                if k.lower() not in ("content-length", "transfer-encoding"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the reference's server logs nothing per request

    return Handler


def serve(rt: Any, server: HttpServer) -> None:
    """Bind and answer requests on this (Ruff) thread until the program stops."""
    import socketserver
    from http.server import ThreadingHTTPServer

    rt.write(f"Starting HTTP server on {server.host}:{server.port}...\n")
    inbox: "queue.Queue[_Pending]" = queue.Queue()

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True

        def server_bind(self) -> None:
            # HTTPServer's own would look the host name up in DNS (getfqdn), which can take seconds.
            socketserver.TCPServer.server_bind(self)
            self.server_name, self.server_port = server.host, self.server_address[1]

    try:
        httpd = Server((server.host, server.port), _handler_class(inbox))
    except OSError as e:
        raise RuffError(f"Failed to start server: {rust_error_text(e)}") from None
    rt.write(f"Server listening on http://{server.host}:{server.port}\n")
    rt.write("Press Ctrl+C to stop\n")
    accepting = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                 name="ruff-http-accept", daemon=True)
    accepting.start()
    try:
        flush_output(rt)  # the banner shows at once even when stdout is a pipe (the server may run for hours)
        while True:
            try:
                p = inbox.get(timeout=0.2)  # a timeout keeps Ctrl+C able to reach this thread
            except queue.Empty:
                continue
            try:
                _answer(rt, server, p)
            finally:
                p.done.set()
            if inbox.empty():  # what the handlers printed shows before the server waits again
                flush_output(rt)
    finally:
        httpd.shutdown()
        httpd.server_close()


_METHODS: dict[str, Any] = {"route": route, "listen": _listen_method("listen"), "start": _listen_method("start")}


def _install_methods() -> None:
    import ruff.runtime.builtins as B

    table = dict(B._ANY_TABLE)
    table.update({name: Builtin(name, guard(name, fn)) for name, fn in _METHODS.items()})
    HttpServer.ruff_methods = table  # type: ignore[attr-defined]
    HttpResponse.ruff_methods = dict(B._ANY_TABLE)  # type: ignore[attr-defined]


_install_methods()
