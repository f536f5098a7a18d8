"""The role-mapping file: exports carry no roles (bbPress keeps them in user meta), so the
operator may name them, one member a line, as CSV: ``login,role``.

Roles are bbPress's: Keymaster, Moderator, Participant, Spectator, Blocked (any case). Lines
that are empty or start with ``#`` are skipped. Members not named stay Participants.
"""

import csv
from pathlib import Path

from accounts.models import User

KEYMASTER = "keymaster"
ROLES = {
    KEYMASTER: KEYMASTER,
    "moderator": User.Role.MODERATOR,
    "participant": User.Role.PARTICIPANT,
    "spectator": User.Role.SPECTATOR,
    "blocked": User.Role.BLOCKED,
}


class RolesFileError(ValueError):
    """The roles file cannot be used: the message names the line."""


def read_roles(path: str | Path, logins: set[str]) -> dict[str, str]:
    """Login → role (``KEYMASTER`` or a ``User.Role``) for each line of the file at ``path``;
    every login must be one of the export's authors (``logins``)."""
    roles: dict[str, str] = {}
    try:
        with open(path, newline="", encoding="utf-8-sig") as stream:
            for number, row in enumerate(csv.reader(stream), start=1):
                if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
                    continue
                if len(row) != 2:
                    raise RolesFileError(f"line {number}: expected “login,role”, got {row!r}")
                login, role = row[0].strip(), row[1].strip().lower()
                if role not in ROLES:
                    names = ", ".join(name.capitalize() for name in ROLES)
                    raise RolesFileError(
                        f"line {number}: “{row[1].strip()}” is not a role ({names})"
                    )
                if login not in logins:
                    raise RolesFileError(f"line {number}: no author “{login}” in the export")
                roles[login] = ROLES[role]
    except (OSError, UnicodeDecodeError) as error:
        raise RolesFileError(f"cannot read {path}: {error}") from None
    return roles
