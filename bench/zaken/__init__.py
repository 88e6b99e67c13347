"""The case pages benchmark (issue 4): bench/bench_zaken.py is the entry point.

`data.py` builds (or reuses) the small and the large database, `servers.py` serves the portal
on one of them, `scenarios.py` logs in and defines the pages measured, `cli.py` runs it all
and prints the table. The load generator and the measurement are the forms benchmark's
(`forms/load.py`).
"""
