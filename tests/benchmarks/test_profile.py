"""The profile's reading of py-spy's stacks: each sample in one bucket, the page line that ran."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from benchmarks import profile

RUNNER = (
    "thread (1): ScriptRunner.scriptThread;Thread.run (threading.py:982);"
    "ScriptRunner._run_script (streamlit/runtime/scriptrunner/script_runner.py:961);"
    "<module> (dashboard.py:67);Page.run (streamlit/navigation/page.py:574)"
)
TO_JSON = RUNNER + ";<module> (overview.py:80);to_json (plotly/basedatatypes.py:3500);dumps (json/__init__.py:231)"
CARDS = RUNNER + ";<module> (overview.py:98);build_cards (monitoring/overview.py:68);sum (pandas/core/series.py:9542)"
GC = "thread (1): ScriptRunner.scriptThread;_on_script_finished (streamlit/runtime/scriptrunner/script_runner.py:1050)"
IDLE = "thread (2): MainThread;run_forever (asyncio/base_events.py:607);select (selectors.py:468)"


def test_a_sample_inside_plotly_to_json_counts_as_figure_json_not_as_the_page():
    assert profile.bucket_of(TO_JSON) == "script: plotly figure -> JSON"


def test_a_sample_in_the_domain_code_counts_as_the_pages_own_code():
    assert profile.bucket_of(CARDS) == "script: the pages' own code (views/, ui/, monitoring/)"


def test_the_collection_after_a_run_counts_as_streamlits_runner():
    assert profile.bucket_of(GC) == "script: Streamlit's script runner"


def test_waiting_threads_are_left_out_of_the_shares():
    buckets, top = profile.breakdown({TO_JSON: 3, CARDS: 1, IDLE: 100})
    assert buckets == {
        "script: plotly figure -> JSON": 0.75,
        "script: the pages' own code (views/, ui/, monitoring/)": 0.25,
    }
    assert top[0] == ("json/__init__.py:dumps", 0.75)


def test_a_sample_is_put_on_the_page_line_that_was_running_with_what_it_called():
    lines = dict(profile.page_lines({TO_JSON: 1, CARDS: 3}))
    assert lines == {"overview.py:98 build_cards": 0.75, "overview.py:80 to_json": 0.25}


frame = st.builds(
    lambda name, path, line: f"{name} ({path}:{line})",
    st.text(alphabet="abcdefgh_<>.", min_size=1, max_size=12),
    st.sampled_from(["plotly/io/_json.py", "monitoring/charts.py", "views/x.py", "asyncio/events.py", "a/b.py"]),
    st.integers(1, 999),
)


@given(st.dictionaries(st.lists(frame, min_size=1, max_size=6).map(";".join), st.integers(1, 50), max_size=8))
def test_every_busy_sample_lands_in_exactly_one_known_bucket(stacks):
    names = {name for name, _ in profile.BUCKETS}
    for stack in stacks:
        assert profile.bucket_of(stack) in names
    buckets, _ = profile.breakdown(stacks)
    busy = [s for s in stacks if not profile._is_idle(s)]
    assert set(buckets) <= names
    assert math.isclose(sum(buckets.values()), 1.0) if busy else buckets == {}
