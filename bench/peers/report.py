"""Write bench/results/peers/latest.md (and latest-<database>.md) from a peers run.

    python3 bench/peers/report.py OUT_DIR DATABASE CACHE PEER...

Reads OUT_DIR/loads.jsonl (bench/peers/load.py), OUT_DIR/<peer>/facts.json (bench/peers/facts.py)
and the pins of each peer's venv. Standard library only.
"""

import json
import os
import platform
import re
import statistics
import sys
from pathlib import Path

PAGES = {
    "anonymous": "topic page 1, anonymous (no cookie, as wrk sends)",
    "anonymous-returning": "topic page 1, anonymous with the session cookie it was given",
    "member": "topic page 1, logged-in member",
}
PACKAGES = {
    "spirit": ["django-spirit", "Django", "gunicorn"],
    "machina": ["django-machina", "Django", "django-mptt", "gunicorn"],
}


def machine() -> str:
    names = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    return f"{os.cpu_count()} CPUs ({names[0] if names else 'unknown CPU'})"


def spread(values: list[float], digits: int) -> str:
    return f"{min(values):.{digits}f}–{max(values):.{digits}f}"


def pins(out: Path, peer: str) -> dict[str, str]:
    text = (out / f"{peer}-venv" / "pins.txt").read_text()
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", text, re.M))


def main() -> None:
    out, database, cache, *peers = sys.argv[1:]
    out_dir = Path(out)
    rows = [json.loads(line) for line in (out_dir / "loads.jsonl").read_text().splitlines()]
    pg = database == "postgresql"
    lines = [
        f"Database: {database}; cache: {cache or 'local memory'}; {machine()}, "
        f"Python {platform.python_version()}.",
        f"Load: `wrk {os.environ.get('WRK_ARGS', '')}` against gunicorn with 2 sync workers "
        "(`--no-control-socket`); a 3 s warm-up before each load; each page loaded "
        f"{os.environ.get('ROUNDS', '?')} times, the peers and pages taking turns. "
        "Median of the rounds, then the spread over all rounds.",
        "CPU ms/request: utime+stime of the gunicorn master and workers (`/proc/<pid>/stat`) "
        "over the wrk run, divided by the requests wrk completed"
        + (
            "; `+ DB` is the same for the PostgreSQL backends serving the workers."
            if pg
            else " (SQLite runs inside the workers, so this includes the database)."
        ),
        "",
        "| peer | page | CPU ms/request (median) | CPU ms/request (all rounds) "
        + ("| + DB CPU ms/request " if pg else "")
        + "| req/s (median) | req/s (all rounds) | p50 ms (median) | p50 ms (all rounds) "
        "| p99 ms (median) | server cores used (all rounds) | HTML bytes | queries | errors |",
        "|---|---|---:|---:|" + ("---:|" if pg else "") + "---:|" * 8 + "---|",
    ]
    versions = []
    for peer in peers:
        facts = json.loads((out_dir / peer / "facts.json").read_text())
        pinned = pins(out_dir, peer)
        versions.append(
            f"- {peer}: "
            + ", ".join(f"{name} {pinned[name]}" for name in PACKAGES[peer] if name in pinned)
            + f"; page {facts['url']}"
        )
        for page, label in PAGES.items():
            runs = [row for row in rows if row["name"] == f"{peer}-{page}"]
            if not runs:
                continue
            cpu = [row["cpu_ms"] for row in runs]
            rps = [row["rps"] for row in runs]
            p50 = [row["p50_ms"] for row in runs]
            p99 = [row["p99_ms"] for row in runs]
            cores = [row["cores_used"] for row in runs]
            db = [row["db_cpu_ms"] for row in runs if row["db_cpu_ms"] is not None]
            errors = "; ".join(row["errors"] for row in runs if row["errors"]) or "none"
            db_cell = (
                (f"| {statistics.median(db):.2f} ({spread(db, 2)}) " if db else "| ? ")
                if pg
                else ""
            )
            lines.append(
                f"| {peer} | {label} | {statistics.median(cpu):.2f} | {spread(cpu, 2)} "
                + db_cell
                + f"| {statistics.median(rps):.1f} | {spread(rps, 0)} "
                f"| {statistics.median(p50):.1f} | {spread(p50, 1)} "
                f"| {statistics.median(p99):.1f} | {spread(cores, 2)} "
                f"| {facts[page]['html_bytes']:,} | {facts[page]['queries']} | {errors} |"
            )
    lines += [
        "",
        "Server cores used: the gunicorn processes' CPU seconds per second of load; with 2 sync "
        "workers on 2 cores, well under 2 means the machine's other work (or the database) "
        "held them back, so req/s and latency then say more about the machine than the peer.",
        "",
        "Queries and bytes: the second of two requests through Django's test client, as "
        "bench/report.py counts them. Both peers show 25 posts a page, as the project does "
        "(Spirit's default is 20, machina's 15). Versions (exact pins in "
        "bench/peers/requirements-<peer>.txt):",
        *versions,
    ]
    text = "\n".join(lines) + "\n"
    for name in ("latest.md", f"latest-{database}{'-redis' if cache else ''}.md"):
        (out_dir / name).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
