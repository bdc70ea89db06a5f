"""Optional access control for the web chat: users, password hashes, groups.

The auth file (``ui.auth_file``) is TOML::

    [users.anna]
    password = "scrypt$16384$8$1$<salt b64>$<hash b64>"   # scripts/hash_password.py
    groups = ["mark"]
    admin = true          # optional: may upload documents in the web chat

    [groups.mark]
    collections = ["mark-plans"]

A user may read the documents of the collections of all their groups; a user in no
group reads nothing (every answer is a refusal). Hashes use the standard library's
scrypt (or PBKDF2-HMAC-SHA256, ``pbkdf2_sha256$<iterations>$<salt>$<hash>``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # ~50 ms, 16 MB: slows guessing, not login
PBKDF2_ITERATIONS = 600_000
_KEY_BYTES = 32
# Verifying an unknown user costs as much as a known one, so timing does not reveal
# which user names exist.
_DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A" * 43 + "="


class AuthError(ValueError):
    """The auth file cannot be used; the message names the file and the problem."""


class HashFormatError(ValueError):
    """A password hash string that is not in a supported format."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """An encoded scrypt hash: ``scrypt$N$r$p$salt$hash`` (salt and hash base64)."""
    salt = salt if salt is not None else os.urandom(16)
    key = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        dklen=_KEY_BYTES,
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


@dataclass(frozen=True)
class _Hash:
    algorithm: str  # "scrypt" | "pbkdf2_sha256"
    params: tuple[int, ...]  # (n, r, p) or (iterations,)
    salt: bytes
    key: bytes


def _parse(encoded: str) -> _Hash:
    """The parts of an encoded hash; ``HashFormatError`` when it is not one."""
    parts = encoded.split("$")
    shapes = {"scrypt": 6, "pbkdf2_sha256": 4}
    if parts[0] not in shapes or len(parts) != shapes[parts[0]]:
        raise HashFormatError(
            "unknown password hash format; expected scrypt$N$r$p$salt$hash or "
            "pbkdf2_sha256$iterations$salt$hash (make one with scripts/hash_password.py)"
        )
    try:
        params = tuple(int(x) for x in parts[1:-2])
        salt = base64.b64decode(parts[-2], validate=True)
        key = base64.b64decode(parts[-1], validate=True)
    except ValueError as exc:  # bad numbers, bad base64
        raise HashFormatError(f"unreadable password hash: {exc}") from None
    n = params[0]
    if (
        not key
        or any(x < 1 for x in params)
        or (parts[0] == "scrypt" and (n < 2 or n & (n - 1)))
    ):
        raise HashFormatError("password hash with empty key or impossible parameters")
    return _Hash(parts[0], params, salt, key)


def _derive(password: str, h: _Hash) -> bytes:
    secret = password.encode("utf-8")
    if h.algorithm == "scrypt":
        n, r, p = h.params
        return hashlib.scrypt(
            secret,
            salt=h.salt,
            n=n,
            r=r,
            p=p,
            dklen=len(h.key),
            maxmem=256 * n * r * p + 1024 * 1024,
        )
    return hashlib.pbkdf2_hmac("sha256", secret, h.salt, h.params[0], len(h.key))


def check_hash_format(encoded: str) -> None:
    """Raise ``HashFormatError`` unless ``encoded`` is a usable hash (cheap)."""
    _parse(encoded)


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches ``encoded`` (constant-time comparison)."""
    try:
        parsed = _parse(encoded)
        key = _derive(password, parsed)
    except (HashFormatError, ValueError, MemoryError):  # e.g. scrypt limits exceeded
        return False
    return hmac.compare_digest(key, parsed.key)


@dataclass(frozen=True)
class User:
    name: str
    password_hash: str
    groups: tuple[str, ...]
    admin: bool = False


@dataclass(frozen=True)
class AccessPolicy:
    """Who may log in, and which document collections each user may read."""

    users: Mapping[str, User]
    group_collections: Mapping[str, tuple[str, ...]]

    def verify(self, username: str, password: str) -> bool:
        """The login check handed to Gradio (``launch(auth=policy.verify)``)."""
        user = self.users.get(username or "")
        if user is None:
            verify_password(password or "", _DUMMY_HASH)
            return False
        return verify_password(password or "", user.password_hash)

    def collections_for(self, username: str | None) -> tuple[str, ...]:
        """Collections ``username`` may read; empty for unknown or group-less users."""
        user = self.users.get(username or "")
        if user is None:
            return ()
        found: list[str] = []
        for group in user.groups:
            for collection in self.group_collections.get(group, ()):
                if collection not in found:
                    found.append(collection)
        return tuple(found)

    def is_admin(self, username: str | None) -> bool:
        """True for a known user marked ``admin = true`` (may upload documents)."""
        user = self.users.get(username or "")
        return user is not None and user.admin


def load_access(path: Path) -> AccessPolicy:
    """Read and check the auth file; ``AuthError`` names the file and the problem."""
    path = Path(path)

    def fail(problem: str) -> AuthError:
        return AuthError(f"auth file {path}: {problem}")

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise fail(
            "file not found; fix ui.auth_file (ASSISTANT_UI__AUTH_FILE) or remove it "
            "to run without login"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise fail(f"not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"users", "groups"})
    if unknown:
        raise fail(
            f"unknown top-level key(s) {unknown}; expected [users.*], [groups.*]"
        )
    groups = _groups(_table(data, "groups", fail), fail)
    users = _users(_table(data, "users", fail), groups, fail)
    if not users:
        raise fail("no users defined; add a [users.NAME] table with a password hash")
    return AccessPolicy(users=users, group_collections=groups)


def _table(data: Mapping[str, Any], key: str, fail: Any) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise fail(f"[{key}] must be a table of tables, e.g. [{key}.NAME]")
    return value


def _strings(value: Any, where: str, fail: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise fail(f"{where} must be a list of non-empty strings")
    return tuple(value)


def _groups(raw: Mapping[str, Any], fail: Any) -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    for name, body in raw.items():
        if not isinstance(body, dict) or set(body) - {"collections"}:
            raise fail(f"[groups.{name}] may only have collections = [...]")
        groups[name] = _strings(
            body.get("collections", []), f"groups.{name}.collections", fail
        )
    return groups


def _users(
    raw: Mapping[str, Any], groups: Mapping[str, tuple[str, ...]], fail: Any
) -> dict[str, User]:
    users: dict[str, User] = {}
    for name, body in raw.items():
        if not isinstance(body, dict) or set(body) - {"password", "groups", "admin"}:
            raise fail(f"[users.{name}] may only have password, groups and admin")
        encoded = body.get("password")
        if not isinstance(encoded, str) or not encoded:
            raise fail(
                f"users.{name}.password is missing; put a hash from "
                "`python scripts/hash_password.py` there (never a plain password)"
            )
        try:
            check_hash_format(encoded)
        except HashFormatError as exc:
            raise fail(f"users.{name}.password: {exc}") from None
        member_of = _strings(body.get("groups", []), f"users.{name}.groups", fail)
        missing = [g for g in member_of if g not in groups]
        if missing:
            raise fail(
                f"users.{name} is in undefined group(s) {missing}; add "
                f"[groups.{missing[0]}] with collections = [...]"
            )
        admin = body.get("admin", False)
        if not isinstance(admin, bool):
            raise fail(f"users.{name}.admin must be true or false (no quotes)")
        users[name] = User(
            name=name, password_hash=encoded, groups=member_of, admin=admin
        )
    return users
