"""Load one page of a running gunicorn with wrk and measure the CPU it cost per request.

    python3 bench/peers/load.py NAME ROUND PORT PATH MASTER_PID OUT_DIR [--cookie C] [--pg-db DB]

Runs a 3-second warm-up, then ``wrk $WRK_ARGS``; reads utime+stime (``/proc/<pid>/stat``) of the
gunicorn master and its workers just before and after, and, with ``--pg-db``, of the PostgreSQL
backends connected to that database (the workers keep persistent connections), and divides by
the requests wrk completed. Writes OUT_DIR/wrk-NAME-ROUND.txt and appends one JSON line to
OUT_DIR/loads.jsonl. Standard library only: it runs outside the peers' venvs.
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import time
from pathlib import Path

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int:
    """utime + stime of one process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "; fields[0] is field 3
    return int(fields[11]) + int(fields[12])


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def pg_backends(database: str) -> list[int]:
    query = (  # psql interpolates :'db' as a quoted literal (from stdin, not from -c)
        "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' "
        "AND datname = :'db' AND pid <> pg_backend_pid();"
    )
    out = subprocess.run(
        ["psql", os.environ["BENCH_POSTGRES"] + "/postgres", "-At", "-v", f"db={database}"],
        input=query,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(int(line) for line in out.split())


def total(pids: list[int]) -> int:
    return sum(cpu_ticks(pid) for pid in pids)


def wrk(args: list[str], url: str, cookie: str) -> str:
    return subprocess.run(
        ["wrk", *args, "-H", f"Cookie: {cookie}", url], check=True, capture_output=True, text=True
    ).stdout


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("name", "round", "port", "path", "master", "out"):
        parser.add_argument(name)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--pg-db", default="")
    args = parser.parse_args()
    out = Path(args.out)
    url = f"http://127.0.0.1:{args.port}{args.path}"
    master = int(args.master)

    wrk(["-t1", "-c8", "-d3s"], url, args.cookie)  # warm-up: imports, templates, caches
    workers = children(master)
    server = [master, *workers]
    backends = pg_backends(args.pg_db) if args.pg_db else []
    before, db_before, started = total(server), total(backends), time.monotonic()
    output = wrk(
        shlex.split(os.environ.get("WRK_ARGS", "-t1 -c8 -d15s --latency")), url, args.cookie
    )
    after, elapsed = total(server), time.monotonic() - started
    try:
        db_after = total(backends)
    except FileNotFoundError:  # a backend ended (CONN_MAX_AGE): its CPU is unknown
        db_after = None
    if backends and (db_after is None or pg_backends(args.pg_db) != backends):
        print(f"  {args.name}: PostgreSQL backends changed during the run; no database CPU")
        backends, db_after = [], None
    if children(master) != workers:
        raise SystemExit(f"{args.name}: the gunicorn workers changed during the run")
    (out / f"wrk-{args.name}-{args.round}.txt").write_text(output)

    requests = int(re.search(r"(\d+) requests in", output).group(1))
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", output, flags=re.MULTILINE))
    errors = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", output)
    row = {
        "name": args.name,
        "round": int(args.round),
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": to_ms(latency["50"]),
        "p90_ms": to_ms(latency["90"]),
        "p99_ms": to_ms(latency["99"]),
        "cpu_ms": (after - before) * TICK_MS / requests,
        "db_cpu_ms": (db_after - db_before) * TICK_MS / requests if backends else None,
        "db_backends": len(backends),
        # Share of the two cores the server used: below 2 means it waited (for the database,
        # or for the CPU the rest of the machine took).
        "cores_used": (after - before) * TICK_MS / 1000 / elapsed,
        "errors": "; ".join(errors),
    }
    with (out / "loads.jsonl").open("a") as file:
        file.write(json.dumps(row) + "\n")
    print(
        f"  {args.name} round {args.round}: {row['rps']:.1f} req/s, p50 {latency['50']}, "
        f"{row['cpu_ms']:.2f} CPU ms/request"
        + (f" (+{row['db_cpu_ms']:.2f} in PostgreSQL)" if backends else "")
        + (f", {row['errors']}" if errors else "")
    )


if __name__ == "__main__":
    main()
