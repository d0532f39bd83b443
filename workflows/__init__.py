"""Prefect 3 flows for the supervision cycle. Flows are thin: each strings coarse tasks (a county or a
document) that call `inspection.services` in one database transaction each.

    self_assessment        a county submits documents → store → ingest → scan vetoes → evaluate → queue
    prefecture_evaluation  the committee's verdict → finding decisions → verdict + stage → letter
    annual_monitoring      every county, every year: evaluate latest figures → ledgers, progress report
    accountability_sweep   daily: missed recognition years, slides after recognition, overdue rectifications

Every module here imports `workflows.settings` before `prefect`: it points Prefect at a home inside the
data folder (unless PREFECT_HOME is set) and turns analytics off.
Without PREFECT_API_URL, flows run in Prefect's ephemeral mode (a temporary local server on SQLite);
see docs/deployment.md for a server, work pool and PostgreSQL.
"""
