"""Password hashes, the auth file and scripts/hash_password.py."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.web.auth import (
    AuthError,
    hash_password,
    load_access,
    verify_password,
)

ROOT = Path(__file__).resolve().parents[1]
ANNA_PW = "rätt-hemligt-1"  # non-ASCII on purpose: hashed as UTF-8


def write_auth(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "auth.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def anna_hash() -> str:
    return hash_password(ANNA_PW)


def test_scrypt_hash_is_salted_encoded_and_verifies(anna_hash) -> None:
    algorithm, n, r, p, salt, key = anna_hash.split("$")
    assert (algorithm, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(key)) == 32
    assert verify_password(ANNA_PW, anna_hash)
    assert not verify_password(ANNA_PW + " ", anna_hash)
    assert not verify_password("", anna_hash)
    assert hash_password(ANNA_PW) != anna_hash  # a fresh salt every time


def test_pbkdf2_hashes_made_elsewhere_verify() -> None:
    salt = b"0123456789abcdef"
    key = hashlib.pbkdf2_hmac("sha256", "lösen-ord".encode(), salt, 1000)
    encoded = (
        f"pbkdf2_sha256$1000${base64.b64encode(salt).decode()}$"
        f"{base64.b64encode(key).decode()}"
    )
    assert verify_password("lösen-ord", encoded)
    assert not verify_password("losen-ord", encoded)


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        "plaintext",
        "scrypt$16384$8$1$bm90LWI2NA",
        "scrypt$1000$8$1$AA==$AA==",
        "md5$x$y",
    ],
)
def test_malformed_hashes_never_verify(encoded: str) -> None:
    assert not verify_password("plaintext", encoded)


def test_groups_give_collections_and_users_without_groups_get_none(
    tmp_path, anna_hash
) -> None:
    path = write_auth(
        tmp_path,
        f"""
[users.anna]
password = "{anna_hash}"
groups = ["mark", "kramfors"]

[users.olle]
password = "{anna_hash}"

[groups.mark]
collections = ["mark-plans"]

[groups.kramfors]
collections = ["kramfors-plans", "mark-plans"]
""",
    )
    policy = load_access(path)
    assert policy.collections_for("anna") == ("mark-plans", "kramfors-plans")
    assert policy.collections_for("olle") == ()
    assert policy.collections_for("okänd") == () and policy.collections_for(None) == ()
    assert policy.verify("anna", ANNA_PW)
    assert not policy.verify("anna", "fel") and not policy.verify("okänd", ANNA_PW)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[users.anna\n", "not valid TOML"),
        ('[users.anna]\npassword = "hemligt123"\n', "users.anna.password"),
        ("[users.anna]\ngroups = []\n", "users.anna.password is missing"),
        ('[users.anna]\npassword = "{h}"\ngroups = ["mark"]\n', "undefined group"),
        ('[users.anna]\npassword = "{h}"\ngroups = "mark"\n', "list of non-empty"),
        ('[users.anna]\npassword = "{h}"\nrole = "admin"\n', "may only have"),
        ('[users.anna]\npassword = "{h}"\nadmin = "yes"\n', "true or false"),
        ('[groups.mark]\ncollections = ["x"]\n', "no users defined"),
        ('[users.anna]\npassword = "{h}"\n[roles.x]\n', "unknown top-level"),
    ],
)
def test_bad_auth_file_names_the_file_and_the_problem(
    tmp_path, anna_hash, text: str, problem: str
) -> None:
    path = write_auth(tmp_path, text.replace("{h}", anna_hash))
    with pytest.raises(AuthError) as err:
        load_access(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_missing_auth_file_says_how_to_fix_it(tmp_path) -> None:
    with pytest.raises(AuthError, match=r"file not found.*ASSISTANT_UI__AUTH_FILE"):
        load_access(tmp_path / "saknas.toml")


def test_hash_password_script_reads_stdin_and_prints_a_usable_hash() -> None:
    script = str(ROOT / "scripts" / "hash_password.py")
    done = subprocess.run(
        [sys.executable, script],
        input=ANNA_PW + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    printed = done.stdout.strip()
    assert printed.startswith("scrypt$") and ANNA_PW not in done.stdout
    assert verify_password(ANNA_PW, printed)
    short = subprocess.run(
        [sys.executable, script], input="kort\n", capture_output=True, text=True
    )
    assert short.returncode == 2 and "shorter than" in short.stderr
