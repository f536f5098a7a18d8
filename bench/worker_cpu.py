"""Print the CPU seconds (user + system) a process and all its descendants have used so far.

``bench/run.sh`` reads it for a gunicorn master before and after each load run: the
difference, divided by the requests served, is the CPU a request costs the workers, which
holds steady when the machine is busy where requests per second do not. Linux only (/proc).

    python -m bench.worker_cpu PID
"""

import os
import sys
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    # The command name (field 2) may hold spaces: split after its closing parenthesis.
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(_stat(int(entry.name))[1])
            except (FileNotFoundError, ProcessLookupError, ValueError):
                continue
            parents.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(parents.get(pid, []))
    return found


def cpu_seconds(root: int) -> float:
    total = 0
    for pid in descendants(root):
        try:
            fields = _stat(pid)
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS


if __name__ == "__main__":
    print(f"{cpu_seconds(int(sys.argv[1])):.2f}")
