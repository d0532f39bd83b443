"""Use cases shared by the CLI, the flows and the UI. Each takes the caller's `Session` and a `Context`
and opens no session of its own, so one call is one transaction at its entry point.

    context         Context, make_context
    evaluation      evaluate_county
    stages          gather_facts, advance (the state machine applied, audited)
    submissions     store_submission, ingest_submission, scan_round
    review          evaluate_round, queue_for_review, decide_finding, record_verdict
    letters         render_verdict_letter (the verdict letter, via inspection.documents)
    monitoring      monitor_county, monitor_counties, monitoring_ledger
    accountability  sweep_county, open_case, escalate, close_case
    status          county_status
    demo            seed_demo and the demo's documents
"""

from inspection.services.accountability import close_case, open_case, open_cases, sweep_county
from inspection.services.context import Context, make_context
from inspection.services.demo import seed_demo
from inspection.services.evaluation import evaluate_county
from inspection.services.monitoring import monitor_counties, monitor_county, monitoring_ledger
from inspection.services.review import decide_finding, evaluate_round, queue_for_review, record_verdict
from inspection.services.stages import advance, gather_facts
from inspection.services.status import county_status
from inspection.services.submissions import confirm_county, ingest_submission, scan_round, store_submission

__all__ = ["Context", "advance", "close_case", "confirm_county", "county_status", "decide_finding", "evaluate_county",
           "evaluate_round", "gather_facts", "ingest_submission", "make_context", "monitor_counties", "monitor_county",
           "monitoring_ledger", "open_case", "open_cases", "queue_for_review", "record_verdict", "scan_round",
           "seed_demo", "store_submission", "sweep_county"]
