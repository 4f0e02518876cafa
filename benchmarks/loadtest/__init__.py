"""A load test that speaks Streamlit's own protocol: ``python -m benchmarks load --sessions 50``.

``client``: one browser session on ``/_stcore/stream``; ``runner``: many of them acting as readers,
against the dashboard and an empty page; ``stats``: the percentiles and the summary; ``memory``: the
server's resident memory from /proc.
"""

from benchmarks.loadtest.client import RunOutcome, Session, TargetRefused, stream_url
from benchmarks.loadtest.runner import Scenario, main, run_sessions
from benchmarks.loadtest.stats import Request, Summary, percentile, summarise

__all__ = [
    "Request",
    "RunOutcome",
    "Scenario",
    "Session",
    "Summary",
    "TargetRefused",
    "main",
    "percentile",
    "run_sessions",
    "stream_url",
    "summarise",
]
