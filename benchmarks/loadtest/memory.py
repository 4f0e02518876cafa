"""The server's memory and CPU while the load runs: resident set size and CPU time of a process
and its children.

Read from /proc (Linux) so nothing needs installing; the process listening on a port is found the
same way, for a server this load test did not start itself.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path

PROC = Path("/proc")
logger = logging.getLogger(__name__)


def _children(proc: Path = PROC) -> dict[int, list[int]]:
    """Every process's children, from /proc/PID/stat's parent field."""
    tree: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            # "pid (command name, which may hold spaces or parentheses) state ppid ..."
            parent = int(stat[stat.rfind(")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # a process that ended while the table was read
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def process_tree(pid: int, proc: Path = PROC) -> list[int]:
    """``pid`` and all its descendants."""
    tree = _children(proc)
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(tree.get(current, []))
    return out


def rss_bytes(pid: int, proc: Path = PROC) -> int:
    """Resident memory of one process (VmRSS); 0 when it has gone."""
    try:
        for line in (proc / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return 0
    return 0


def tree_rss_bytes(pid: int, proc: Path = PROC) -> int:
    """Resident memory of ``pid`` and its descendants, summed."""
    return sum(rss_bytes(p, proc) for p in process_tree(pid, proc))


def cpu_seconds(pid: int, proc: Path = PROC) -> float:
    """CPU time (user + system, all threads) that ``pid`` has used so far; 0 when it has gone."""
    try:
        stat = (proc / str(pid) / "stat").read_text()
        fields = stat[stat.rfind(")") + 2 :].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    except (OSError, ValueError, IndexError):
        return 0.0  # gone, or ending while it was read
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int, proc: Path = PROC) -> float:
    """CPU time of ``pid`` and its living descendants, summed."""
    return sum(cpu_seconds(p, proc) for p in process_tree(pid, proc))


def listening_pid(port: int, proc: Path = PROC) -> int | None:
    """The process listening on TCP ``port`` (any local address), if this user may see it."""
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (proc / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(f"socket:[{inode}]")
    if not inodes:
        return None
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(entry.name)
        except OSError:
            continue
    return None


class PeakSampler:
    """Samples the resident memory of one or more process trees (the replicas of one app) every
    ``interval`` seconds in a thread of its own, from ``start()`` to ``stop()``; ``peak_mb`` is the
    largest sample of any one tree, ``cpu_s`` the CPU time all of them used in between."""

    def __init__(self, pid: int | Sequence[int], interval: float = 0.5) -> None:
        self.pids = [pid] if isinstance(pid, int) else list(pid)
        self.interval = interval
        self.samples: list[int] = []
        self.cpu_s: float | None = None
        self._cpu_at_start = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"rss-{self.pids[0]}", daemon=True)

    def _cpu(self) -> float:
        return sum(tree_cpu_seconds(pid) for pid in self.pids)

    def _run(self) -> None:
        while True:
            try:
                self.samples.append(max(tree_rss_bytes(pid) for pid in self.pids))
            except Exception:  # a sample lost is logged, and the sampling goes on
                logger.exception("sampling the memory of %s failed", self.pids)
            if self._stop.wait(self.interval):
                return

    def start(self) -> PeakSampler:
        self._cpu_at_start = self._cpu()
        self._thread.start()
        return self

    def stop(self) -> float | None:
        self._stop.set()
        self._thread.join()
        self.cpu_s = max(self._cpu() - self._cpu_at_start, 0.0)
        return self.peak_mb

    @property
    def peak_mb(self) -> float | None:
        return max(self.samples) / 2**20 if self.samples and max(self.samples) > 0 else None
