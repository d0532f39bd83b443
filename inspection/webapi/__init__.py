"""The service facade the Streamlit pages call (and nothing else): every function takes the signed-in
`Principal`, re-reads it from the database, checks `inspection.access` on the server, and returns
plain data. Pages never open a database session themselves.

    sign_in / principal_for_identity       local password or OIDC identity → Principal
    sign_in_session / resume_session / close_session   a local account's session cookie (survives reload)
    refresh                                the signed-in account as the database has it now
    dashboard / visible_counties / county_summary
    upload / extract / submission_detail / list_submissions / stored_file / review_queue
    submit_for_review
    evaluation_view / figure_source / correct_figure / decide_finding / record_verdict
    ocr_to_confirm / ocr_cell_image / correct_school_name / correct_school_stage   a scan's OCR figures (待人工核对)
    county_indicator_form / save_county_indicator   county-level figures (县级指标), as in the workbook
    blank_forms / letters_for / county_letter / all_letters / prefecture_report
    list_cases / close_case
    planning_view / what_if_view / save_what_if_plan / plan_versions   达标测算: cost by year and school, what-if plans
"""

from inspection.webapi._base import (close_session, context, ensure_database, principal_for_identity, refresh,
                                     resume_session, sign_in, sign_in_session)
from inspection.webapi.cases import close_case, list_cases
from inspection.webapi.county_figures import county_indicator_form, save_county_indicator
from inspection.webapi.documents import (all_letters, blank_forms, county_letter, document_register, letters_for,
                                         prefecture_report, progress_report, register_workbook)
from inspection.webapi.ocr import correct_school_name, correct_school_stage, ocr_cell_image, ocr_to_confirm
from inspection.webapi.planning import plan_versions, planning_view, save_what_if_plan, what_if_view
from inspection.webapi.overview import Dashboard, county_summary, dashboard, rules_in_force, visible_counties
from inspection.webapi.review import correct_figure, decide_finding, decide_findings, evaluation_view, figure_source, record_verdict
from inspection.webapi.labels import stage_label
from inspection.webapi.submissions import (ACCEPTED, MAX_UPLOAD_MB, confirm_own_table, document_page,
                                           list_submissions, read, review_queue, stored_file, submission_detail,
                                           upload)
from inspection.webapi.submit import submit_for_review
from inspection.webapi import history, inbox, threads


__all__ = ["ACCEPTED", "all_letters", "blank_forms", "close_case", "close_session", "confirm_own_table", "context", "correct_figure", "correct_school_name", "correct_school_stage", "county_indicator_form", "county_letter", "county_summary", "Dashboard", "dashboard", "decide_finding", "decide_findings", "document_page", "document_register", "ensure_database", "evaluation_view", "figure_source", "history", "inbox", "letters_for", "list_cases", "list_submissions", "MAX_UPLOAD_MB", "ocr_cell_image", "ocr_to_confirm", "plan_versions", "planning_view", "prefecture_report", "principal_for_identity", "progress_report", "read", "record_verdict", "refresh", "register_workbook", "resume_session", "review_queue", "rules_in_force", "save_county_indicator", "save_what_if_plan", "sign_in", "sign_in_session", "stage_label", "stored_file", "submission_detail", "submit_for_review", "threads", "upload", "visible_counties", "what_if_view"]
