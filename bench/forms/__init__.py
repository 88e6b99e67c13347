"""The forms benchmark (issue 3), split by role; run it with `bench/bench_forms.py`.

- `cli`: the command line, the run over all scenarios and databases, the report table and the
  JSON result;
- `servers`: the bare baseline app and the portal, each served by uvicorn in a subprocess (the
  entry point's hidden `--serve` mode), and CPU time from /proc;
- `definition`: the synthetic 30-field form and the values posted to it;
- `load`: the load generator (closed-loop client threads) and the measurement;
- `scenarios`: the portal's scenarios and what they need prepared (sessions, drafts, completed
  drafts to submit) and the checks around them.
"""
