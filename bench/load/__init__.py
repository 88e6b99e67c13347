"""The load benchmark (issue 8): bench/bench_load.py is the entry point.

`servers.py` starts the bare baseline page (`bare.py`) and the portal (`mijn-haren serve`) as
OS processes on loopback ports with the same uvicorn options and number of workers, and
prepares the portal's database; `scenarios.py` holds the clients and the requests of each
scenario; `cli.py` runs them and prints the table. The load generator and the measurement are
the forms benchmark's (`forms/load.py`).
"""
