"""Print a password hash for the web chat's auth file (``ui.auth_file``).

Usage: python scripts/hash_password.py            # asks twice, without echo
       printf '%s\n' "$PW" | python scripts/hash_password.py   # from a pipe

Paste the printed line as ``password = "..."`` under ``[users.NAME]``.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.web.auth import hash_password

MIN_LENGTH = 8


def read_password() -> str:
    """From the terminal (no echo, typed twice) or one line from a pipe."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Lösenord: ")
    if getpass.getpass("Igen: ") != first:
        raise ValueError("the two passwords differ; run the script again")
    return first


def main() -> int:
    try:
        password = read_password()
        if len(password) < MIN_LENGTH:
            raise ValueError(
                f"the password is shorter than {MIN_LENGTH} characters; "
                "choose a longer one"
            )
    except (ValueError, EOFError, KeyboardInterrupt) as exc:
        print(f"error: {exc or 'no password given'}", file=sys.stderr)
        return 2
    print(hash_password(password))
    return 0


if __name__ == "__main__":
    sys.exit(main())
