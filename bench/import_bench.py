"""Time ``manage.py import_bbpress`` on a large generated export: wall time and peak memory.

Generates the export with ``bench/wxr_generate.py`` when the file is missing (the same file
for the same arguments), builds a throw-away database (an SQLite file under /tmp, or the
PostgreSQL database ``import_bench``, dropped and re-created) with the site's migrations
(the seeded guide included, so the import deletes it with ``--delete-conflicting-topics``:
its #6700 is one of the export's numbers), then runs, each in a fresh process: the import,
``manage.py recount --dry-run`` (which must find nothing), and the import again (which must
create nothing). Each run reports wall time, peak RSS (``ru_maxrss`` of that child) and the
last lines the command printed.

    .venv/bin/python bench/import_bench.py sqlite   --replies 1000000 --topics 20000 --members 20000
    .venv/bin/python bench/import_bench.py postgres --replies 1000000 --topics 20000 --members 20000
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_NAME = "import_bench"


def measure(label: str, env: dict, *args: str) -> dict:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    started = time.monotonic()
    child = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    stdout = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - started
    result = {
        "run": label,
        "wall_s": round(wall, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "exit": os.waitstatus_to_exitcode(status),
        "said": [line for line in stdout.splitlines() if line.strip()][:3],
    }
    print(json.dumps(result), flush=True)
    return result


def _psql(server: str, sql: str) -> None:
    subprocess.run(["psql", "-q", f"{server}/postgres", "-c", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database", choices=["sqlite", "postgres"])
    parser.add_argument("--replies", type=int, default=1_000_000)
    parser.add_argument("--topics", type=int, default=20_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--export", help="The export to import (default: generated under /tmp).")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    options = parser.parse_args()

    export = Path(
        options.export
        or Path(tempfile.gettempdir())
        / f"bbpress-{options.replies}-{options.topics}-{options.members}.xml"
    )
    if not export.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "wxr_generate.py"), str(export),
             "--replies", str(options.replies), "--topics", str(options.topics),
             "--members", str(options.members)],
            check=True,
        )  # fmt: skip
    print(f"export: {export} ({export.stat().st_size / 2**20:,.0f} MiB)", file=sys.stderr)

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "0"}
    sqlite_file = Path(tempfile.gettempdir()) / "import_bench.sqlite3"
    if options.database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    else:
        _psql(options.server, f"DROP DATABASE IF EXISTS {PG_NAME}")
        _psql(options.server, f"CREATE DATABASE {PG_NAME}")
        env["DATABASE_URL"] = f"{options.server}/{PG_NAME}"
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True)
    try:
        measure("import", env, "import_bbpress", str(export), "--delete-conflicting-topics")
        measure("recount --dry-run", env, "recount", "--dry-run", "-v0")
        measure("import again", env, "import_bbpress", str(export))
    finally:
        if not options.keep:
            if options.database == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
            else:
                _psql(options.server, f"DROP DATABASE {PG_NAME}")


if __name__ == "__main__":
    main()
