"""Crypto builtins against independent implementations of the same formats (so data moves between
this implementation and the reference), and the edges golden programs do not reach."""

from __future__ import annotations

import base64
import hashlib

import pytest

from kit import call, raises


def test_digests_match_hashlib(tmp_path):
    data = bytes(range(256)) * 300  # more than one read block
    p = tmp_path / "big.bin"
    p.write_bytes(data)
    assert call("sha256_file", str(p)) == hashlib.sha256(data).hexdigest()
    assert call("md5_file", str(p)) == hashlib.md5(data).hexdigest()
    assert call("sha256", data) == hashlib.sha256(data).hexdigest()
    assert call("md5", "ünï") == hashlib.md5("ünï".encode()).hexdigest()


def test_passwords_past_72_bytes_are_cut_there_as_the_reference_does():
    import bcrypt

    long = "p" * 100
    h = call("hash_password", long)
    assert h.startswith("$2b$12$") and len(h) == 60
    assert call("verify_password", long[:72], h) is True
    assert call("verify_password", long[:71], h) is False
    assert bcrypt.checkpw(long[:72].encode(), h.encode())


def test_aes_layout_is_nonce_then_ciphertext_then_tag():
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    token = base64.b64decode(call("aes_encrypt", "attack at dawn", "k"))
    key = hashlib.sha256(b"k").digest()
    assert AESGCM(key).decrypt(token[:12], token[12:], None) == b"attack at dawn"
    assert len(token) == 12 + len("attack at dawn") + 16


def test_rsa_keys_and_signatures_are_standard():
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    kp = call("rsa_generate_keypair", 2048)
    private = serialization.load_pem_private_key(kp["private"].encode(), None)
    public = serialization.load_pem_public_key(kp["public"].encode())
    assert private.key_size == 2048 and kp["private"].endswith("-----END PRIVATE KEY-----\n")
    sig = base64.b64decode(call("rsa_sign", "hello", kp["private"]))
    public.verify(sig, b"hello", padding.PKCS1v15(), hashes.SHA256())  # raises if wrong
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    outside = base64.b64encode(public.encrypt(b"from elsewhere", oaep)).decode()
    assert call("rsa_decrypt", outside, kp["private"]) == "from elsewhere"
    raises("rsa_decrypt", outside, kp["public"], match="Invalid RSA private key")
    ec_pem = ("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\n"
              "q9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n-----END PUBLIC KEY-----\n")
    raises("rsa_encrypt", "x", ec_pem, match="Invalid RSA public key: not an RSA key")


def test_jwt_interoperates_with_pyjwt_and_is_hs256():
    import jwt

    token = call("jwt_encode", {"sub": "u", "n": 1}, "a-secret-that-is-long-enough-for-hs256!")
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "HS256"
    assert jwt.decode(token, "a-secret-that-is-long-enough-for-hs256!", algorithms=["HS256"]) == {"sub": "u", "n": 1}
    other = jwt.encode({"big": 2**70, "f": 1.5}, "k" * 32, algorithm="HS256")
    assert call("jwt_decode", other, "k" * 32) == {"big": float(2**70), "f": 1.5}


def test_jwt_refuses_other_algorithms_and_tampering():
    import jwt

    none_token = jwt.encode({"a": 1}, None, algorithm="none")
    assert raises("jwt_decode", none_token, "s") == "JWT decoding error: InvalidAlgorithm"
    assert call("jwt_verify", none_token, "s") is False
    token = call("jwt_encode", {"a": 1}, "s")
    head, body, sig = token.split(".")
    forged = ".".join([head, base64.urlsafe_b64encode(b'{"a":2}').rstrip(b"=").decode(), sig])
    assert raises("jwt_decode", forged, "s") == "JWT decoding error: InvalidSignature"


def test_jwt_expiry_has_the_reference_leeway():
    import time

    just_expired = call("jwt_encode", {"exp": int(time.time()) - 30}, "s")
    long_expired = call("jwt_encode", {"exp": int(time.time()) - 120}, "s")
    assert call("jwt_verify", just_expired, "s") is True  # inside jsonwebtoken's 60 s leeway
    assert call("jwt_verify", long_expired, "s") is False
    assert call("jwt_decode", long_expired, "s")["exp"] < time.time()


@pytest.mark.parametrize("name,args,message", [
    ("sha256", [], "sha256 requires a string or bytes argument"),
    ("md5_file", [1], "md5_file requires a string path argument"),
    ("aes_decrypt_bytes", ["x"], "aes_decrypt_bytes requires (ciphertext_string, key_string) arguments"),
    ("rsa_sign", ["m"], "rsa_sign requires (message_string, private_key_pem) arguments"),
    ("rsa_generate_keypair", [2048, 1], "rsa_generate_keypair requires an integer (2048 or 4096)"),
    ("jwt_verify", ["t"], "jwt_verify() expects 2 arguments (token, secret), got 1"),
    ("jwt_encode", [{"f": float("nan")}, "s"], "Failed to convert payload to JSON: Cannot convert non-finite float"),
])
def test_argument_errors(name, args, message):
    raises(name, *args, match=message)
