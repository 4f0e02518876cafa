"""Speed figures beside their floors: ``python -m benchmarks [--quick] [--skip-browser]``.

Each figure is printed next to the cheapest way to do the same work (a bare INSERT, a bare GROUP BY,
an empty Streamlit page), so a figure reads as a ratio that holds on any machine. Results also go
to ``benchmarks/out/results.json``. This is not a pytest suite: speed aims are checked here.
"""
