"""Hashing and cryptography: sha256, md5, sha256_file, md5_file, hash_password, verify_password,
aes_encrypt, aes_decrypt, aes_encrypt_bytes, aes_decrypt_bytes, rsa_generate_keypair, rsa_encrypt,
rsa_decrypt, rsa_sign, rsa_verify, jwt_encode, jwt_decode, jwt_verify.

The formats are the reference's, so data crosses between the two implementations:
- hash_password: bcrypt, `$2b$`, cost 12; passwords past 72 bytes are cut there, as the reference's
  bcrypt crate does (the Python package refuses them instead).
- aes_*: AES-256-GCM under the SHA-256 of the key text; the result is base64(12-byte nonce + ciphertext
  + 16-byte tag). aes_decrypt_bytes gives base64 of the plaintext when it is not UTF-8.
- rsa_*: PKCS#8 / SubjectPublicKeyInfo PEM keys (2048 or 4096 bits), OAEP with SHA-256 for encryption,
  PKCS#1 v1.5 with SHA-256 for signatures; ciphertexts and signatures in base64.
- jwt_*: HS256. jwt_decode checks the signature only; jwt_verify also checks `exp` (60 s leeway), and
  says false instead of failing.
Error messages are the reference's ("AES decryption failed: aead::Error", "JWT decoding error:
InvalidSignature"). Libraries: hashlib, bcrypt, cryptography, PyJWT, each imported on first use.
"""

from __future__ import annotations

from typing import Any

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.dict_keys import text_items, text_key
from ruff.runtime.values import RuffError
from ruff.runtime.builtins._util import Registry, rust_error_text
from ruff.runtime.builtins.json import b64decode_strict, to_json_text

reg = Registry()

BCRYPT_COST = 12  # the reference's bcrypt::DEFAULT_COST
BCRYPT_MAX_PASSWORD = 72
AES_NONCE_BYTES = 12
RSA_KEY_SIZES = (2048, 4096)
JWT_LEEWAY_SECONDS = 60


def _b64encode(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def utf8_error_text(e: UnicodeDecodeError) -> str:
    """Rust's FromUtf8Error text for the same bad input."""
    if e.reason == "unexpected end of data":
        return f"incomplete utf-8 byte sequence from index {e.start}"
    return f"invalid utf-8 sequence of {e.end - e.start} bytes from index {e.start}"


# ----------------------------------------------------------------------------- digests


def _digest(name: str, algorithm: str, args: list) -> str:
    import hashlib

    if len(args) == 1:
        v = args[0]
        if type(v) is str:
            return hashlib.new(algorithm, v.encode("utf-8")).hexdigest()
        if type(v) is bytes:
            return hashlib.new(algorithm, v).hexdigest()
    raise RuffError(f"{name} requires a string or bytes argument")


@reg("sha256")
def sha256(rt: Any, args: list) -> str:
    """sha256(text or bytes) -> 64 lowercase hex digits."""
    return _digest("sha256", "sha256", args)


@reg("md5")
def md5(rt: Any, args: list) -> str:
    """md5(text or bytes) -> 32 lowercase hex digits."""
    return _digest("md5", "md5", args)


def _file_digest(name: str, algorithm: str, args: list) -> str:
    import hashlib

    if type(args[0]) is not str:
        raise RuffError(f"{name} requires a string path argument")
    path = args[0]
    h = hashlib.new(algorithm)
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 16), b""):
                h.update(block)
    except OSError as e:
        raise RuffError(f"Failed to read file '{path}': {rust_error_text(e)}") from None
    return h.hexdigest()


@reg("sha256_file")
def sha256_file(rt: Any, args: list) -> str:
    if len(args) != 1:
        raise RuffError(f"sha256_file expects 1 arguments, got {len(args)}")
    return _file_digest("sha256_file", "sha256", args)


@reg("md5_file")
def md5_file(rt: Any, args: list) -> str:
    if len(args) != 1:
        raise RuffError("md5_file requires a string path argument")
    return _file_digest("md5_file", "md5", args)


# ----------------------------------------------------------------------------- passwords


@reg("hash_password")
def hash_password(rt: Any, args: list) -> str:
    """hash_password(password) -> a 60-character bcrypt hash ($2b$12$...)."""
    if len(args) != 1 or type(args[0]) is not str:
        raise RuffError("hash_password requires a string password argument")
    import bcrypt

    secret = args[0].encode("utf-8")[:BCRYPT_MAX_PASSWORD]
    try:
        return bcrypt.hashpw(secret, bcrypt.gensalt(rounds=BCRYPT_COST, prefix=b"2b")).decode("ascii")
    except ValueError as e:
        raise RuffError(f"Failed to hash password: {e}") from None


@reg("verify_password")
def verify_password(rt: Any, args: list) -> bool:
    """verify_password(password, hash) -> true when the password matches the bcrypt hash."""
    if len(args) != 2 or type(args[0]) is not str or type(args[1]) is not str:
        raise RuffError("verify_password requires (string_password, string_hash) arguments")
    import bcrypt

    password, hashed = args
    try:
        return bcrypt.checkpw(password.encode("utf-8")[:BCRYPT_MAX_PASSWORD], hashed.encode("utf-8"))
    except ValueError:
        raise RuffError(f"Failed to verify password: Invalid hash: {hashed}") from None


# ----------------------------------------------------------------------------- AES-256-GCM


def _aes(key_text: str) -> Any:
    import hashlib

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(hashlib.sha256(key_text.encode("utf-8")).digest())


def _aes_encrypt(data: bytes, key_text: str) -> str:
    import os

    nonce = os.urandom(AES_NONCE_BYTES)
    return _b64encode(nonce + _aes(key_text).encrypt(nonce, data, None))


def _aes_decrypt(ciphertext_b64: str, key_text: str) -> bytes:
    from cryptography.exceptions import InvalidTag

    try:
        data = b64decode_strict(ciphertext_b64)
    except ValueError as e:
        raise RuffError(f"Invalid base64 ciphertext: {e}") from None
    if len(data) < AES_NONCE_BYTES:
        raise RuffError("Invalid ciphertext: too short")
    try:
        return _aes(key_text).decrypt(data[:AES_NONCE_BYTES], data[AES_NONCE_BYTES:], None)
    except InvalidTag:
        raise RuffError("AES decryption failed: aead::Error") from None


def _two_strings(name: str, what: str, args: list) -> tuple[str, str]:
    if len(args) != 2 or type(args[0]) is not str or type(args[1]) is not str:
        raise RuffError(f"{name} requires ({what}, key_string) arguments")
    return args[0], args[1]


@reg("aes_encrypt")
def aes_encrypt(rt: Any, args: list) -> str:
    """aes_encrypt(plaintext, key) -> base64 text; a fresh random nonce each time."""
    plaintext, key = _two_strings("aes_encrypt", "plaintext_string", args)
    return _aes_encrypt(plaintext.encode("utf-8"), key)


@reg("aes_decrypt")
def aes_decrypt(rt: Any, args: list) -> str:
    ciphertext, key = _two_strings("aes_decrypt", "ciphertext_string", args)
    plain = _aes_decrypt(ciphertext, key)
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RuffError(f"Decrypted data is not valid UTF-8: {utf8_error_text(e)}") from None


@reg("aes_encrypt_bytes")
def aes_encrypt_bytes(rt: Any, args: list) -> str:
    """aes_encrypt_bytes(data, key) -> base64 text; data is a string (as in the reference) or bytes."""
    if len(args) == 2 and type(args[0]) is bytes and type(args[1]) is str:
        return _aes_encrypt(args[0], args[1])
    data, key = _two_strings("aes_encrypt_bytes", "data_string", args)
    return _aes_encrypt(data.encode("utf-8"), key)


@reg("aes_decrypt_bytes")
def aes_decrypt_bytes(rt: Any, args: list) -> str:
    """aes_decrypt_bytes(ciphertext, key) -> the plaintext, or its base64 when it is not UTF-8 text."""
    ciphertext, key = _two_strings("aes_decrypt_bytes", "ciphertext_string", args)
    plain = _aes_decrypt(ciphertext, key)
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        return _b64encode(plain)


# ----------------------------------------------------------------------------- RSA


def _key_error(e: Exception) -> str:
    text = str(e).split(". ")[0].strip().rstrip(".")
    return text or type(e).__name__


def _public_key(pem: str) -> Any:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        key = serialization.load_pem_public_key(pem.encode("utf-8"))
    except (ValueError, TypeError, UnsupportedAlgorithm) as e:
        raise RuffError(f"Invalid RSA public key: {_key_error(e)}") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise RuffError("Invalid RSA public key: not an RSA key")
    return key


def _private_key(pem: str) -> Any:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        key = serialization.load_pem_private_key(pem.encode("utf-8"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as e:
        raise RuffError(f"Invalid RSA private key: {_key_error(e)}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise RuffError("Invalid RSA private key: not an RSA key")
    return key


def _oaep() -> Any:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    return padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


@reg("rsa_generate_keypair")
def rsa_generate_keypair(rt: Any, args: list) -> dict:
    """rsa_generate_keypair(bits) -> {"private": PKCS#8 PEM, "public": SPKI PEM}; bits is 2048 or 4096."""
    if len(args) != 1 or type(args[0]) is not int:
        raise RuffError("rsa_generate_keypair requires an integer (2048 or 4096)")
    if args[0] not in RSA_KEY_SIZES:
        raise RuffError("RSA key size must be 2048 or 4096 bits")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=args[0])
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return {"private": private.decode("ascii"), "public": public.decode("ascii")}


@reg("rsa_encrypt")
def rsa_encrypt(rt: Any, args: list) -> str:
    """rsa_encrypt(plaintext, public_pem) -> base64 ciphertext (random padding: differs every call)."""
    if len(args) != 2 or type(args[0]) is not str or type(args[1]) is not str:
        raise RuffError("rsa_encrypt requires (plaintext_string, public_key_pem) arguments")
    key = _public_key(args[1])
    try:
        return _b64encode(key.encrypt(args[0].encode("utf-8"), _oaep()))
    except ValueError:
        raise RuffError("RSA encryption failed: message too long") from None


@reg("rsa_decrypt")
def rsa_decrypt(rt: Any, args: list) -> str:
    if len(args) != 2 or type(args[0]) is not str or type(args[1]) is not str:
        raise RuffError("rsa_decrypt requires (ciphertext_string, private_key_pem) arguments")
    key = _private_key(args[1])
    try:
        ciphertext = b64decode_strict(args[0])
    except ValueError as e:
        raise RuffError(f"Invalid base64 ciphertext: {e}") from None
    try:
        plain = key.decrypt(ciphertext, _oaep())
    except ValueError:
        raise RuffError("RSA decryption failed: decryption error") from None
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RuffError(f"Decrypted data is not valid UTF-8: {utf8_error_text(e)}") from None


@reg("rsa_sign")
def rsa_sign(rt: Any, args: list) -> str:
    """rsa_sign(message, private_pem) -> base64 PKCS#1 v1.5 SHA-256 signature."""
    if len(args) != 2 or type(args[0]) is not str or type(args[1]) is not str:
        raise RuffError("rsa_sign requires (message_string, private_key_pem) arguments")
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    key = _private_key(args[1])
    return _b64encode(key.sign(args[0].encode("utf-8"), padding.PKCS1v15(), hashes.SHA256()))


@reg("rsa_verify")
def rsa_verify(rt: Any, args: list) -> bool:
    """rsa_verify(message, signature_b64, public_pem) -> whether the signature is the key's over message."""
    if len(args) != 3 or any(type(a) is not str for a in args):
        raise RuffError("rsa_verify requires (message, signature, public_key_pem) arguments")
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    message, signature_b64, pem = args
    key = _public_key(pem)
    try:
        signature = b64decode_strict(signature_b64)
    except ValueError as e:
        raise RuffError(f"Invalid base64 signature: {e}") from None
    if not signature:
        raise RuffError("Invalid signature format: signature error")
    try:
        key.verify(signature, message.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


# ----------------------------------------------------------------------------- JWT (HS256)


def _jwt_error(e: Exception) -> str:
    """The name jsonwebtoken's ErrorKind displays for the failure PyJWT reports."""
    import jwt

    for cls, kind in ((jwt.InvalidSignatureError, "InvalidSignature"), (jwt.ExpiredSignatureError, "ExpiredSignature"),
                      (jwt.ImmatureSignatureError, "ImmatureSignature"), (jwt.InvalidAudienceError, "InvalidAudience"),
                      (jwt.InvalidAlgorithmError, "InvalidAlgorithm"), (jwt.InvalidIssuerError, "InvalidIssuer")):
        if isinstance(e, cls):
            return kind
    return "InvalidToken"


def _claims(v: Any) -> Any:
    """JSON from a token as Ruff values: integers beyond i64 become floats, as parse_json makes them."""
    t = type(v)
    if t is int:
        return v if I64_MIN <= v <= I64_MAX else float(v)
    if t is list:
        return [_claims(x) for x in v]
    if t is dict:
        return {text_key(k): _claims(x) for k, x in v.items()}
    return v


def _text_keyed(v: Any) -> Any:
    """Ruff data for PyJWT's json.dumps: dicts keyed by their key texts, all the way down."""
    t = type(v)
    if t is list:
        return [_text_keyed(x) for x in v]
    if t is dict:
        return {k: _text_keyed(x) for k, x in text_items(v)}
    return v


def _jwt_decode(token: str, secret: str, check_exp: bool) -> dict:
    import warnings

    import jwt

    options = {"verify_exp": check_exp, "verify_iat": False, "verify_nbf": False, "verify_iss": False,
               "verify_sub": False, "verify_jti": False, "require": []}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
        return jwt.decode(token, secret, algorithms=["HS256"], options=options, leeway=JWT_LEEWAY_SECONDS)


@reg("jwt_encode")
def jwt_encode(rt: Any, args: list) -> str:
    """jwt_encode(payload_dict, secret) -> an HS256 token."""
    if len(args) != 2:
        raise RuffError(f"jwt_encode() expects 2 arguments (payload, secret), got {len(args)}")
    payload, secret = args
    if type(payload) is not dict or type(secret) is not str:
        raise RuffError("jwt_encode requires a dictionary payload and secret key string")
    try:
        to_json_text(payload)  # the same values (and the same refusals) as to_json
    except RuffError as e:
        raise RuffError(f"Failed to convert payload to JSON: {e.message}") from None
    import warnings

    import jwt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
        try:
            return jwt.encode(_text_keyed(payload), secret, algorithm="HS256")
        except (jwt.PyJWTError, TypeError, ValueError) as e:
            raise RuffError(f"JWT encoding error: {e}") from None


@reg("jwt_decode")
def jwt_decode(rt: Any, args: list) -> dict:
    """jwt_decode(token, secret) -> the payload dict once the signature checks out (expiry not checked)."""
    if len(args) != 2:
        raise RuffError(f"jwt_decode() expects 2 arguments (token, secret), got {len(args)}")
    token, secret = args
    if type(token) is not str or type(secret) is not str:
        raise RuffError("jwt_decode requires a token string and secret key string")
    import jwt

    try:
        return _claims(_jwt_decode(token, secret, check_exp=False))
    except jwt.PyJWTError as e:
        raise RuffError(f"JWT decoding error: {_jwt_error(e)}") from None


@reg("jwt_verify")
def jwt_verify(rt: Any, args: list) -> bool:
    """jwt_verify(token, secret) -> true when the signature is good and the token has not expired."""
    if len(args) != 2:
        raise RuffError(f"jwt_verify() expects 2 arguments (token, secret), got {len(args)}")
    token, secret = args
    if type(token) is not str or type(secret) is not str:
        raise RuffError("jwt_verify requires a token string and secret key string")
    import jwt

    try:
        _jwt_decode(token, secret, check_exp=True)
    except jwt.PyJWTError:
        return False
    return True
