"""JWT against an independent HS256 computation, arg_parser.parse() of real arguments, sockets carrying
bytes, the kv store under concurrent writers, __vm_for_iterable on iterators, and lazy loading."""

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import threading
import time

import pytest

from builtin_support import FakeRT, call, raises
from ruff.runtime.builtins import BUILTINS, LAZY_MODULES, _net, sockets
from ruff.runtime.values import RuffError


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256(header: dict, claims_text: str, secret: str) -> str:
    signing = b64(json.dumps(header, separators=(",", ":")).encode()) + "." + b64(claims_text.encode())
    return signing + "." + b64(hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest())


def test_jwt_encode_is_standard_hs256():
    token = call("jwt_encode", {"sub": "x", "a": [1, 2.5]}, "key")
    assert token == hs256({"typ": "JWT", "alg": "HS256"}, '{"a":[1,2.5],"sub":"x"}', "key")


def test_jwt_decode_checks_signature_algorithm_and_expiry_rules():
    forged = hs256({"typ": "JWT", "alg": "HS512"}, '{"sub":"x"}', "key")
    raises("jwt_decode", forged, "key", match="JWT decoding error: InvalidAlgorithm")
    unsigned = b64(b'{"alg":"none","typ":"JWT"}') + "." + b64(b'{"sub":"x"}') + "."
    raises("jwt_decode", unsigned, "key", match="JWT decoding error: InvalidAlgorithm")
    good = call("jwt_encode", {"sub": "x"}, "key")
    head, body, sig = good.split(".")
    tampered = head + "." + b64(b'{"sub":"admin"}') + "." + sig
    raises("jwt_decode", tampered, "key", match="JWT decoding error: InvalidSignature")
    assert call("jwt_verify", tampered, "key") is False
    # "exp" is checked by jwt_verify only, with the reference's 60 s leeway
    recent = call("jwt_encode", {"exp": int(time.time()) - 30}, "key")
    stale = call("jwt_encode", {"exp": int(time.time()) - 120}, "key")
    assert call("jwt_verify", recent, "key") is True and call("jwt_verify", stale, "key") is False
    assert call("jwt_decode", stale, "key")["exp"] < time.time()
    raises("jwt_encode", {"a": 1}, "", match="JWT encoding error:")


def test_oauth2_auth_url_state_is_random_hex():
    urls = {call("oauth2_auth_url", "c", "r", "https://a/x", "s") for _ in range(20)}
    assert len(urls) == 20
    for u in urls:
        state = u.split("&state=")[1]
        assert 1 <= len(state) <= 16 and int(state, 16) >= 0


def parser_with(*specs):
    p = call("arg_parser")
    for spec in specs:
        p = p.type.methods["add_argument"].fn(FakeRT(), [p, *spec])
    return p


def parse(p, argv):
    rt = FakeRT()
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


def test_kv_store_keeps_concurrent_writes(tmp_path, monkeypatch):
    monkeypatch.setenv("RUFF_KV_PATH", str(tmp_path / "kv.json"))
    threads = [threading.Thread(target=call, args=("kv_set", f"k{i}", str(i))) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {call("kv_get", f"k{i}") for i in range(20)} == {str(i) for i in range(20)}
    assert json.loads((tmp_path / "kv.json").read_text())["k3"] == "3"
    monkeypatch.setenv("RUFF_KV_PATH", "")
    monkeypatch.chdir(tmp_path)
    assert call("kv_set", "here", "yes") is True and (tmp_path / ".ruff_kv.json").exists()


def test_vm_for_iterable_drains_iterators_and_ranges():
    assert call("__vm_for_iterable", iter([1, 2])) == [1, 2]
    assert call("__vm_for_iterable", BUILTINS["range"].fn(FakeRT(), [3])) == [0, 1, 2]
    big = call("__vm_for_iterable", 10**15)
    assert len(big) == 10**15 and big[5] == 5  # lazy: nothing is built
    raises("__vm_for_iterable", float("nan"), match="__vm_for_iterable expects a finite number, got NaN")


def test_start_up_does_not_load_the_new_families(tmp_path):
    hello = tmp_path / "hello.ruff"
    hello.write_text('print("hi")\n')
    code = ("import sys, runpy; sys.argv = ['ruff', 'run', '--no-jit', %r]\n"
            "try:\n    runpy.run_module('ruff', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "heavy = ('PIL', 'jwt', 'urllib3', 'http.server', 'socketserver', 'concurrent.futures', "
            "'ruff.runtime.builtins.http_client', 'ruff.runtime.builtins.images', 'ruff.runtime.builtins.sockets')\n"
            "print(sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy), file=sys.stderr)\n"
            % str(hello))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout == "hi\n" and out.stderr.strip() == "[]", out.stderr


def test_every_family_is_registered_lazily():
    for family in ("async_io", "http_client", "http_server", "web_auth", "sockets", "images", "arg_parser",
                   "kv_store", "ssg"):
        assert family in LAZY_MODULES
