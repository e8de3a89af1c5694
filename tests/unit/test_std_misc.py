"""OAuth2 state values, arg_parser.parse() of real arguments, sockets carrying bytes and timing out, and
lazy loading of the families."""

import subprocess
import sys
import time

import pytest

from kit import FakeRuntime, call, raises
from ruff.runtime.builtins import LAZY_MODULES, _net, sockets
from ruff.runtime.values import RuffError


def test_oauth2_auth_url_state_is_random_hex():
    urls = {call("oauth2_auth_url", "c", "r", "https://a/x", "s") for _ in range(20)}
    assert len(urls) == 20
    for u in urls:
        state = u.split("&state=")[1]
        assert 1 <= len(state) <= 16 and int(state, 16) >= 0


def parser_with(*specs):
    p = call("arg_parser")
    for spec in specs:
        p = p.type.methods["add_argument"].fn(FakeRuntime(), [p, *spec])
    return p


def parse(p, argv):
    rt = FakeRuntime()
    rt.script_args = argv
    return p.type.methods["parse"].fn(rt, [p])


def test_arg_parser_parses_script_arguments():
    p = parser_with(["--verbose", "-v", "type", "bool"], ["--name", "short", "-n", "required", True],
                    ["--count", "type", "int", "default", "2"], ["--ratio", "type", "float"])
    assert parse(p, ["-v", "in.txt", "--name", "bob", "--count", "-7", "out.txt", "--ratio", "1e3"]) == {
        "verbose": True, "name": "bob", "count": -7, "ratio": 1000.0, "_positional": ["in.txt", "out.txt"]}
    assert parse(p, ["-n", "x"]) == {"name": "x", "verbose": False, "count": 2, "ratio": None}
    for argv, message in [
        (["-n", "x", "--count", "2.5"], "Argument --count requires an integer value, got: 2.5"),
        (["-n", "x", "--count", " 3"], "Argument --count requires an integer value, got:  3"),
        (["-n", "x", "--count", "99999999999999999999"], "requires an integer value"),
        (["-n", "x", "--ratio", "1_0"], "Argument --ratio requires a float value, got: 1_0"),
        (["-n", "x", "--ratio"], "Argument --ratio requires a value"),
        (["--name", "x", "--other"], "Unknown argument: --other"),
        ([], "Required argument --name is missing"),
    ]:
        with pytest.raises(RuffError) as info:
            parse(p, argv)
        assert message in info.value.message
    weird = parser_with(["--mode", "type", "enum"])
    with pytest.raises(RuffError, match="Unknown argument type: enum"):
        parse(weird, ["--mode", "x"])


def test_sockets_carry_bytes():
    listener = call("tcp_listen", "127.0.0.1", 0)
    port = listener.sock.getsockname()[1]
    client = call("tcp_connect", "127.0.0.1", port)
    server = call("tcp_accept", listener)
    assert call("tcp_send", client, b"\xff\x00ok") == 4
    assert call("tcp_receive", server, 100) == b"\xff\x00ok"  # not UTF-8: bytes, as the reference
    for s in (client, server, listener):
        call("tcp_close", s)
    a, b = call("udp_bind", "127.0.0.1", 0), call("udp_bind", "127.0.0.1", 0)
    assert call("udp_send_to", a, b"\x80", "127.0.0.1", b.sock.getsockname()[1]) == 1
    got = call("udp_receive_from", b, 10)
    assert got["data"] == b"\x80" and got["size"] == 1
    assert got["from"] == f"127.0.0.1:{a.sock.getsockname()[1]}"


def test_socket_reads_time_out(monkeypatch):
    monkeypatch.setattr(_net, "READ_TIMEOUT_MS", 300)
    monkeypatch.setattr(sockets, "_SLICE_S", 0.05)
    u = call("udp_bind", "127.0.0.1", 0)
    started = time.monotonic()
    raises("udp_receive_from", u, 10, match="Failed to receive UDP datagram timed out after 300ms read/30000ms write "
                                           "timeout policy: Resource temporarily unavailable (os error 11)")
    assert time.monotonic() - started < 5


def test_start_up_does_not_load_the_new_families(tmp_path):
    hello = tmp_path / "hello.ruff"
    hello.write_text('print("hi")\n')
    code = ("import sys, runpy; sys.argv = ['ruff', 'run', '--no-jit', %r]\n"
            "try:\n    runpy.run_module('ruff', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "heavy = ('PIL', 'jwt', 'urllib3', 'http.server', 'socketserver', 'concurrent.futures', "
            "'ruff.runtime.builtins.http_client', 'ruff.runtime.builtins.http_server', "
            "'ruff.runtime.builtins.images', 'ruff.runtime.builtins.sockets')\n"
            "print(sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy), file=sys.stderr)\n"
            % str(hello))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout == "hi\n" and out.stderr.strip() == "[]", out.stderr


def test_every_family_is_registered_lazily():
    for family in ("async_io", "http_client", "http_server", "oauth2", "sockets", "images", "arg_parser", "ssg"):
        assert family in LAZY_MODULES
