"""HTTP: the server at the protocol level (a Ruff program in a subprocess, requested from Python) and the
client against a Python server (limits, headers, redirects, the destination policy)."""

import http.client
import signal
import socket
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler

import pytest

from kit import call, local_http_server, raises, sigint_default
from ruff.runtime.builtins import _net
from ruff.runtime.builtins.http_server import match_route

SERVER = """
port := parse_int(args()[0])
s := http_listen("127.0.0.1", port)
    .route("POST", "/echo", func(req) {
        return set_header(http_response(200, req["body"]), "X-Headers", to_string(len(keys(req["headers"]))))
    })
    .route("GET", "/q", func(req) { return json_response(200, [req["query"], req["query_decoded"]]) })
    .route("GET", "/typed", func(req) { return set_header(http_response(418, "tea"), "Content-Type", "text/x-tea") })
s.listen()
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def ruff_server(tmp_path):
    """A Ruff program serving on the main thread; yields (port, process)."""
    prog = tmp_path / "server.ruff"
    prog.write_text(SERVER)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ruff", "run", str(prog), "--", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=sigint_default)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"server did not start: {proc.communicate()}")
            time.sleep(0.05)
    yield port, proc
    if proc.poll() is None:
        proc.kill()
        proc.communicate()


def request(port, method, path, body=None, headers=None, conn=None):
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    return resp.status, dict(resp.getheaders()), resp.read().decode()


def test_server_protocol_details(ruff_server):
    port, _ = ruff_server
    status, headers, body = request(port, "POST", "/echo", b"payload", {"X-One": "1"})
    assert (status, body) == (200, "payload")
    assert headers["Content-Type"] == "text/plain; charset=UTF-8" and headers["Content-Length"] == "7"
    assert int(headers["X-Headers"]) >= 3  # Host, Content-Length, X-One, ... as the client sent them
    status, headers, body = request(port, "GET", "/typed")
    assert (status, headers["Content-Type"], body) == (418, "text/x-tea", "tea")
    # one keep-alive connection, several requests
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    assert request(port, "GET", "/nowhere", conn=conn)[::2] == (404, "Not Found")
    assert request(port, "POST", "/echo", b"again", conn=conn)[2] == "again"
    # a chunked request body is read whole
    conn.putrequest("POST", "/echo")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    for part in (b"ab", b"cde", b""):
        conn.send(b"%x\r\n%s\r\n" % (len(part), part))
    resp = conn.getresponse()
    assert resp.read() == b"abcde"
    # HEAD gets the headers only
    status, headers, body = request(port, "HEAD", "/typed")
    assert body == "" and status == 404  # no HEAD route: routes match the method exactly


def test_query_strings_raw_and_decoded(ruff_server):
    port, _ = ruff_server
    _, _, body = request(port, "GET", "/q?a=%41%42&b=x+y&bad=%zz&c&=v&a2=%E2%9C%93")
    raw, decoded = __import__("json").loads(body)
    assert raw == {"a": "%41%42", "b": "x+y", "bad": "%zz", "c": "", "a2": "%E2%9C%93"}
    assert decoded == {"a": "AB", "b": "x y", "bad": "%zz", "c": "", "a2": "✓"}


def test_ctrl_c_stops_a_listening_program(ruff_server):
    port, proc = ruff_server
    assert request(port, "POST", "/echo", b"x")[0] == 200
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert out.startswith(f"Starting HTTP server on 127.0.0.1:{port}...\nServer listening on http://127.0.0.1:{port}\n")


def test_binding_a_busy_port_is_a_ruff_error(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        prog = tmp_path / "busy.ruff"
        prog.write_text(f'http_listen("127.0.0.1", {port}).listen()\n')
        proc = subprocess.run([sys.executable, "-m", "ruff", "run", str(prog)], capture_output=True, text=True,
                              timeout=60)
    assert proc.returncode == 4
    assert "Failed to start server: Address already in use (os error 98)" in proc.stderr


def test_route_patterns():
    assert match_route("/a/:id", "/a/7") == {"id": "7"}
    assert match_route("/a/:id/b/:x", "/a/1/b/") == {"id": "1", "x": ""}
    assert match_route("/a/:id", "/a/7/8") is None
    assert match_route("/a/:id", "/b/7") is None


# ----------------------------------------------------------------------------- the client


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/big":
            data = b"x" * 2000
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/headers")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        else:
            data = (self.path + "|" + "|".join(f"{k}={v}" for k, v in self.headers.items())).encode()
        self.send_response(200)
        self.send_header("X-Twice", "a")
        self.send_header("X-Twice", "b")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_DELETE = do_GET

    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        data = self.rfile.read(n) + b"|" + (self.headers.get("Content-Type") or "none").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_PUT = do_POST


@pytest.fixture(scope="module")
def py_server():
    with local_http_server(Handler) as url:
        yield url


def test_client_sends_the_reference_headers_and_bodies(py_server):
    assert call("http_post", py_server + "/p", '{"a":1}') == {"status": 200, "body": '{"a":1}|application/json'}
    assert call("http_put", py_server + "/p", "é") == {"status": 200, "body": "é|application/json"}
    r = call("http_request", py_server + "/p", {"method": "POST", "body": "b", "headers": {"X-N": 1}})
    assert r.values[0]["body"] == "b|none"  # no Content-Type unless given; non-string headers are skipped
    got = call("http_request", {"url": py_server + "/h", "_headers": {"X-Custom": "v"}}).values[0]
    assert "X-Custom=v" in got["body"] and got["headers"]["x-twice"] == "b"
    assert "X-Custom" not in call("http_get", py_server + "/h")["body"]


def test_client_follows_redirects(py_server):
    assert call("http_get", py_server + "/redirect")["status"] == 200


def test_response_body_limit(py_server, monkeypatch):
    monkeypatch.setattr(_net, "MAX_BODY_BYTES", 1000)
    raises("http_get", py_server + "/big", match="HTTP GET failed: response body exceeds maximum network body size "
                                                 "(2000 bytes > 1000 bytes)")
    assert call("http_get", py_server + "/small")["status"] == 200


def test_destination_policy(py_server, monkeypatch):
    monkeypatch.setenv(_net.POLICY_ENV, "deny_private")
    raises("http_get", py_server, match="HTTP GET blocked by outbound destination policy 'deny_private' (resolved "
                                        "to blocked addresses: 127.0.0.1). Set "
                                        "RUFF_ALLOW_PRIVATE_NETWORK_DESTINATIONS=1")
    raises("tcp_connect", "127.0.0.1", 9, match="tcp_connect blocked by outbound destination policy")
    monkeypatch.setenv(_net.ALLOW_PRIVATE_ENV, "yes")
    assert call("http_get", py_server + "/h")["status"] == 200
    monkeypatch.setenv(_net.POLICY_ENV, "sometimes")
    raises("http_get", py_server, match="Invalid RUFF_NET_DESTINATION_POLICY value 'sometimes'; expected one of: "
                                        "allow_all, deny_private")


def test_parallel_http_keeps_the_order(py_server):
    urls = [py_server + f"/n{i}" for i in range(12)]
    results = call("parallel_http", urls)
    assert [r["body"].split("|")[0] for r in results] == [f"/n{i}" for i in range(12)]
    assert all(r["status"] == 200 for r in results)
