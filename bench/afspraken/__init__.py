"""The appointments benchmark (issue 5): bench/bench_afspraken.py is the entry point.

`data.py` builds the busy location and measures the free-time reads in process, `load.py`
books under contention against the served portal, `cli.py` runs it all (and serves the
portal in the hidden `--serve` mode) and prints the report. The bare baseline page and the
server helpers are the forms benchmark's (`forms/servers.py`, `forms/cli.py`).
"""
