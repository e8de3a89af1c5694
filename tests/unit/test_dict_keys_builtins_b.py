"""The dict key rule (ruff/runtime/dict_keys.py) at the edges of the format, system, network, database,
arg_parser, JWT and embedding builtins: a key that is a number's text comes in stored as the int, and
every key goes out as text.

Each dict made here from outside data must have int stored keys for number texts (and only for canonical
ones: "007", "-0" stay strings); each dict handed out must carry text keys in the order (or sorted order)
it always had."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest

from kit import FakeRuntime, call, local_http_server
from ruff.runtime.builtins import http_server
from ruff.runtime.dict_keys import int_of_text
from ruff.runtime.values import EnumValue, RuffError


def stored(d: dict) -> list:
    """The stored keys of a Ruff dict, in order."""
    return list(d)


# ----------------------------------------------------------------------------- JSON


def test_parse_json_stores_number_texts_as_ints_all_the_way_down():
    v = call("parse_json", '{"1": "a", "x": 2, "-7": {"0": true, "007": 1, "-0": 2}, "l": [{"42": null}],'
                           ' "9223372036854775808": 3}')
    assert stored(v) == [1, "x", -7, "l", "9223372036854775808"]  # beyond i64: a string
    assert stored(v[-7]) == [0, "007", "-0"]
    assert stored(v["l"][0]) == [42]
    assert v[1] == "a" and v[-7][0] is True


def test_parse_json_repeated_key_keeps_the_last_value_in_the_first_place():
    v = call("parse_json", '{"1": "a", "x": 2, "1": "b"}')
    assert stored(v) == [1, "x"] and v[1] == "b"


def test_to_json_writes_int_keys_as_text_sorted_by_text():
    assert call("to_json", {1: "a", "x": 2}) == '{"1":"a","x":2}'
    assert call("to_json", {10: 1, 9: 2, "a": 3, -1: 4}) == '{"-1":4,"10":1,"9":2,"a":3}'
    assert call("to_json_pretty", {"o": {2: [1]}, 1: None}) == '{\n  "1": null,\n  "o": {\n    "2": [\n      1\n    ]\n  }\n}'
    text = '{"-7":{"0":true},"1":"a","x":2}'
    assert call("to_json", call("parse_json", text)) == text


def test_csv_headers_come_in_as_stored_keys_and_go_out_as_text():
    rows = call("parse_csv", "1,x,007\n5,b,c\n")
    assert rows == [{1: 5, "x": "b", "007": "c"}] and stored(rows[0]) == [1, "x", "007"]
    assert call("to_csv", [{1: "a", 10: "b", "x": 3}, {1: "c", "x": 4}]) == "1,10,x\na,b,3\nc,,4\n"


def test_toml_keys_both_ways():
    v = call("parse_toml", '"1" = "a"\n2 = 3\n[7]\n"-1" = 1\nx = 2\n')
    assert v == {1: "a", 2: 3, 7: {-1: 1, "x": 2}} and stored(v) == [1, 2, 7]
    assert call("to_toml", {1: "a", "t": {2: 3, "i": {5: 6}}, "l": [{-4: 6}]}) == (
        '1 = "a"\nl = [{ -4 = 6 }]\n\n[t]\n2 = 3\n\n[t.i]\n5 = 6\n')


# ----------------------------------------------------------------------------- YAML


def test_parse_yaml_stores_string_number_keys_as_ints():
    v = call("parse_yaml", '"1": a\n2: b\nx:\n  "-3": c\n  "03": d\ns: !!set {"4": null}\n')
    assert stored(v) == [1, "Number(2)", "x", "s"]  # a plain 2 is a number key: serde_yaml's debug text
    assert stored(v["x"]) == [-3, "03"] and stored(v["s"]) == [4]


def test_to_yaml_writes_int_keys_as_quoted_text_sorted_by_text():
    assert call("to_yaml", {1: "a", "x": 2}) == "'1': a\nx: 2\n"
    assert call("to_yaml", {10: 1, 9: {2: 3}}) == "'10': 1\n'9':\n  '2': 3\n"
    assert call("parse_yaml", call("to_yaml", {5: "v"})) == {5: "v"}


# ----------------------------------------------------------------------------- processes and the environment


def test_env_list_stores_number_named_variables_as_ints(monkeypatch):
    monkeypatch.setenv("12345", "v")
    env = call("env_list")
    assert env[12345] == "v" and "12345" not in env
    assert not any(type(k) is str and int_of_text(k) is not None for k in env)


def test_process_env_option_with_int_keys_reaches_the_child_as_text():
    r = call("spawn_process", ["env"], {"env": {12: "v", "A": "b"}, "inherit_env": False})
    assert r["success"] and sorted(r["stdout"].split()) == ["12=v", "A=b"]
    with pytest.raises(RuffError, match="unsupported process option '5'"):
        call("spawn_process", ["true"], {5: 1})


# ----------------------------------------------------------------------------- HTTP


class _Echo(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        data = "|".join(f"{k}={v}" for k, v in self.headers.items()).encode()
        self.send_response(200)
        self.send_header("7", "seven")
        self.send_header("X-A", "b")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def echo_server():
    with local_http_server(_Echo) as url:
        yield url


def test_http_request_headers_both_ways(echo_server):
    r = call("http_request", echo_server + "/h", {"headers": {1: "one", "X-B": "c"}})
    assert type(r) is EnumValue and r.variant == "Ok", r
    got = r.values[0]
    assert "1=one" in got["body"] and "X-B=c" in got["body"]
    assert got["headers"][7] == "seven" and got["headers"]["x-a"] == "b" and "7" not in got["headers"]


def test_client_sends_header_pairs_as_text_and_hands_headers_in_by_the_rule(echo_server):
    from ruff.runtime.builtins import http_client

    assert http_client._string_pairs({1: "one", "x": 2, "y": "z"}) == [("1", "one"), ("y", "z")]
    reply = http_client.fetch("HTTP GET", "GET", echo_server + "/h")
    assert reply.ruff_headers()[7] == "seven"


def test_server_request_value_stores_number_texts_as_ints():
    p = http_server._Pending("GET", "/a/q?1=x&y=2&%35=z", [("1", "a"), ("Host", "h")], b"")
    params = http_server.match_route("/a/:7", "/a/q")
    req = http_server._request_value(p, "/a/q", "1=x&y=2&%35=z", params)
    assert stored(req["params"]) == [7]
    assert stored(req["query"]) == [1, "y", "%35"]
    assert stored(req["query_decoded"]) == [1, "y", 5]
    assert stored(req["headers"]) == [1, "Host"]


def test_response_headers_from_ruff_dicts_are_text():
    r = call("redirect_response", "/u", {1: "x", "X-A": "y"})
    assert r.headers == {"Location": "/u", "1": "x", "X-A": "y"}
    r = call("set_headers", call("http_response", 200, "b"), {2: "y"})
    assert list(r.headers) == ["2"]
    r = call("json_response", 200, {3: "z"})
    assert r.body == '{"3":"z"}'


# ----------------------------------------------------------------------------- database


def test_db_query_column_names_are_stored_by_the_rule():
    db = call("db_connect", "sqlite", ":memory:")
    rows = call("db_query", db, 'SELECT 1, 2 AS x, 3 AS "-4", 4 AS "01"')
    assert rows == [{1: 1, "x": 2, -4: 3, "01": 4}]
    assert stored(rows[0]) == [1, "x", -4, "01"]


# ----------------------------------------------------------------------------- arg_parser


def test_arg_parser_number_named_option_is_an_int_key():
    p = call("arg_parser")
    add = p.type.methods["add_argument"].fn
    p = add(FakeRuntime(), [p, "--1"])
    p = add(FakeRuntime(), [p, "--2", "type", "int", "default", "5"])
    rt = FakeRuntime(script_args=("--1", "v"))
    result = p.type.methods["parse"].fn(rt, [p])
    assert result == {1: "v", 2: 5} and stored(result) == [1, 2]


# ----------------------------------------------------------------------------- JWT


def test_jwt_claims_keys_both_ways():
    secret = "s" * 32
    token = call("jwt_encode", {1: "a", "sub": "x", "n": {2: 3}}, secret)
    assert call("jwt_decode", token, secret) == {1: "a", "sub": "x", "n": {2: 3}}
    import jwt

    assert jwt.decode(token, secret, algorithms=["HS256"]) == {"1": "a", "sub": "x", "n": {"2": 3}}


# ----------------------------------------------------------------------------- embedding


def test_embed_converts_keys_both_ways():
    from ruff.embed import to_python, to_ruff

    assert to_python({1: "a", "x": {-2: [{3: None}]}}) == {"1": "a", "x": {"-2": [{"3": None}]}}
    v = to_ruff({"1": "a", "b": {"2": 3, "02": 4}})
    assert v == {1: "a", "b": {2: 3, "02": 4}} and stored(v) == [1, "b"]
