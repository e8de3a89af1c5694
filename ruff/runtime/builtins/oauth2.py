"""The OAuth2 authorization-code flow (the JWT builtins are in crypto.py).

    oauth2_auth_url(client_id, redirect_uri, auth_url, scope)
                                       auth_url?client_id=..&redirect_uri=..&response_type=code&scope=..&state=<hex>
    oauth2_get_token(code, client_id, client_secret, token_url, redirect_uri)
                                       POSTs the form to token_url; the JSON reply as a dict
"""

from __future__ import annotations

from typing import Any

from ruff.runtime.values import RuffError
from ruff.runtime.builtins._util import Registry

reg = Registry()


def _strings(name: str, args: list, n: int, usage: str, wrong: str) -> list[str]:
    if len(args) != n:
        raise RuffError(f"{name}() expects {n} arguments ({usage}), got {len(args)}")
    if any(type(a) is not str for a in args):
        raise RuffError(wrong)
    return list(args)


@reg("oauth2_auth_url")
def oauth2_auth_url(rt: Any, args: list) -> str:
    client_id, redirect_uri, auth_url, scope = _strings(
        "oauth2_auth_url", args, 4, "client_id, redirect_uri, auth_url, scope",
        "oauth2_auth_url requires client_id, redirect_uri, auth_url, and scope strings")
    import secrets
    from urllib.parse import quote

    state = f"{secrets.randbits(64):x}"  # against CSRF: the redirect must bring the same state back
    return (f"{auth_url}?client_id={quote(client_id, safe='')}&redirect_uri={quote(redirect_uri, safe='')}"
            f"&response_type=code&scope={quote(scope, safe='')}&state={state}")


@reg("oauth2_get_token", waits=True)
def oauth2_get_token(rt: Any, args: list) -> dict:
    code, client_id, client_secret, token_url, redirect_uri = _strings(
        "oauth2_get_token", args, 5, "code, client_id, client_secret, token_url, redirect_uri",
        "oauth2_get_token requires code, client_id, client_secret, token_url, and redirect_uri strings")
    from urllib.parse import urlencode

    from ruff.runtime.builtins.http_client import fetch
    from ruff.runtime.builtins.json import parse_json_text

    form = urlencode([("grant_type", "authorization_code"), ("code", code), ("client_id", client_id),
                      ("client_secret", client_secret), ("redirect_uri", redirect_uri)])
    reply = fetch("OAuth2 token request", "POST", token_url, form.encode("ascii"),
                  [("Content-Type", "application/x-www-form-urlencoded")])
    body = reply.text()
    if not 200 <= reply.status < 300:
        raise RuffError(f"OAuth2 token request failed with status {reply.status}: {body}")
    try:
        data = parse_json_text(body)
    except RuffError as e:
        raise RuffError(f"Failed to parse OAuth2 token response: {e.message.removeprefix('JSON parse error: ')}") from None
    return data if type(data) is dict else {}
