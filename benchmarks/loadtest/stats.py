"""The load test's arithmetic: percentiles, and one run's requests summed up."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) of ``values`` by linear interpolation between the two
    nearest ranks (numpy's default, "linear"); raises ValueError for no values or q outside 0..100."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile q must be within 0..100, not {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    fraction = rank - low
    return ordered[low] + (ordered[high] - ordered[low]) * fraction


@dataclass(frozen=True)
class Request:
    """One rerun a session asked for: which session, what the person did, how long until the script
    finished, and whether it went well ("ok") or what went wrong."""

    session: int
    action: str
    seconds: float
    status: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class Summary:
    """One app's run: the figures the load test prints."""

    app: str
    sessions: int
    seconds: float  # wall-clock from the first session's start to the last request's end
    requests: int
    errors: int
    median_s: float | None
    p95_s: float | None
    peak_rss_mb: float | None = None
    server_cpu_s: float | None = None  # CPU time the server used during the run
    error_kinds: dict[str, int] = field(default_factory=dict)
    median_by_action: dict[str, float] = field(default_factory=dict)  # open, period, metric, page, rerun
    finished_per_session: dict[int, int] = field(default_factory=dict)
    first_errors: list[str] = field(default_factory=list)

    @property
    def requests_per_s(self) -> float | None:
        return self.requests / self.seconds if self.seconds > 0 else None

    @property
    def cpu_ms_per_request(self) -> float | None:
        """The server's CPU time per request: what a request costs, however busy the machine."""
        if self.server_cpu_s is None or not self.requests:
            return None
        return 1000 * self.server_cpu_s / self.requests


def summarise(
    app: str,
    sessions: int,
    requests: Sequence[Request],
    seconds: float,
    peak_rss_mb: float | None = None,
    server_cpu_s: float | None = None,
) -> Summary:
    """Sum up ``requests``: counts, errors by kind, and the median and 95th percentile of the time
    from request to script finished over every request whose script finished, failed ones included
    (a page that shows an exception still finished its script); timeouts and dropped connections
    count as errors but have no such time."""
    finished = [r for r in requests if r.status in ("ok", "error", "compile_error")]
    times = [r.seconds for r in finished]
    failed = [r for r in requests if not r.ok]
    per_session = Counter(r.session for r in finished)
    by_action: dict[str, list[float]] = {}
    for r in finished:
        by_action.setdefault(r.action, []).append(r.seconds)
    return Summary(
        app=app,
        sessions=sessions,
        seconds=seconds,
        requests=len(requests),
        errors=len(failed),
        median_s=percentile(times, 50) if times else None,
        p95_s=percentile(times, 95) if times else None,
        peak_rss_mb=peak_rss_mb,
        server_cpu_s=server_cpu_s,
        error_kinds=dict(Counter(r.status for r in failed)),
        median_by_action={action: percentile(values, 50) for action, values in sorted(by_action.items())},
        finished_per_session={s: per_session.get(s, 0) for s in range(sessions)},
        first_errors=[f"session {r.session}, {r.action}: {r.status} {r.detail}".strip()[:300] for r in failed[:5]],
    )
