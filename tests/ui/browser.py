"""What browser tests share: the real app started on a free port against the test's seeded database,
headless Debian Chromium through Playwright, and the steps a user takes (sign in, open a page)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from tests.ui.conftest import ROOT, YEAR

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

BROWSER = [pytest.mark.slow, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Debian chromium at /usr/bin/chromium")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(env: dict, log) -> Iterator[tuple[str, int]]:
    """The real app (`streamlit run streamlit_app.py`) on a free port with `env`, its output to `log`;
    yields (its address, its process id) once its health check answers, and stops it afterwards."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless",
                             "true", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        else:
            raise RuntimeError("streamlit did not start")
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def server(ui_db, tmp_path):
    env = {**os.environ, "INSPECTION_DATA_DIR": str(ui_db), "INSPECTION_AS_OF": f"{YEAR}-06-01"}
    with (tmp_path / "streamlit.log").open("w") as log:
        try:
            with running_app(env, log) as (url, _):
                yield url
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}: " + (tmp_path / "streamlit.log").read_text()) from None


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def settled(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60000)


def sign_in(page, url: str, user: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    settled(page)


def nav(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title).first.wait_for(timeout=30000)
    settled(page)


def self_assessment_pdf(path: Path, n: int, county: str = "泽普县") -> Path:
    """A real self-assessment PDF (WeasyPrint): narrative and the school table of n demo rows."""
    from inspection import demo
    from inspection.standard import load_schedule, load_standard
    from tests.ingest.factories import Layout, TableSpec, write_pdf
    plan = load_schedule().county(county)
    schools = demo.county_schools(load_standard("kashgar-2022"), plan.name, plan.recognition_year, 7)[:n]
    rows = [{"name": s.name, "stage": s.stage, **s.figures} for s in schools]
    return write_pdf(path, TableSpec.of(rows, Layout()), Layout())


def choose(page, box, option: str) -> None:
    """Pick `option` in a select box (a combobox): open its list — by a click, or from the keyboard
    when a click on a page being redrawn only focused it — then click the option."""
    from playwright.sync_api import TimeoutError as NotYet
    wanted = page.get_by_role("option").filter(has_text=option).first
    settled(page)
    for attempt in range(10):
        if attempt % 2:
            box.focus()
            box.press("ArrowDown")          # opens the list of a focused combobox
        else:
            box.click()
        try:
            wanted.wait_for(timeout=3000)
            break
        except NotYet:              # the list did not open: close whatever did and try again
            page.keyboard.press("Escape")
            settled(page)
    wanted.click()
    settled(page)


def add_row(page, grid, values: list[str]) -> None:
    """Add a row to an editable table (a data editor) and type `values` into its cells left to right,
    as a user does: its toolbar's "Add row", then for each cell a click on the new row's first cell,
    the arrow keys to the cell, Enter (opens its editor: a list to filter for a select column), the
    value, Tab (takes it). Each cell is reached afresh because the page reruns after each value and a
    redraw can take the grid's focus, so that keys pressed at once go nowhere or to another cell."""
    from playwright.sync_api import TimeoutError as NotYet
    settled(page)
    grid.scroll_into_view_if_needed()
    grid.hover()
    grid.locator("xpath=ancestor::div[@data-testid='stElementContainer'][1]").get_by_role(
        "button", name="Add row").click()
    settled(page)
    editing = "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement && document.activeElement.tagName)"
    for column, value in enumerate(values):
        for attempt in range(5):
            box = grid.bounding_box()       # the new row is the last, above the editor's blank "add" row
            page.mouse.click(box["x"] + 60, box["y"] + box["height"] - 35 - 17)
            page.wait_for_timeout(200)
            if not page.evaluate(editing):      # a click on the selected cell opens it (a second click)
                for _ in range(column):
                    page.keyboard.press("ArrowRight")
                page.keyboard.press("Enter")
            try:
                page.wait_for_function(editing, timeout=5000)       # the cell's editor is open
                break
            except NotYet:
                page.keyboard.press("Escape")
                settled(page)
        else:
            raise AssertionError(f"the editor of column {column} of the new row did not open")
        page.keyboard.type(value)
        page.wait_for_timeout(200)
        page.keyboard.press("Tab")
        page.wait_for_function(f"() => !({editing})()", timeout=30000)   # taken; the grid has the focus again
        settled(page)


def pick_cell(page, grid, row: int, column: int) -> None:
    """Select one cell of a dataframe (a canvas: no cell elements to click): click the first cell of
    data row `row` (0-based), then move `column` cells right with the keyboard, as a user can."""
    settled(page)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 30, box["y"] + 35 * (row + 1) + 17)     # 35 px a row, the header first
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    settled(page)


def english(page) -> None:
    """Switch the page to English (the sidebar's switch)."""
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.get_by_role("button", name="Sign out").wait_for(timeout=30000)
    settled(page)


def submit_round(page) -> None:
    """The county ticks that it has checked its documents and submits them for review (the enabled
    button: while the page redraws, the old, disabled one may still be there for a moment)."""
    settled(page)
    page.get_by_text("我已核对上述材料和数据").click()
    settled(page)
    page.get_by_role("button", name="提交审核", disabled=False).click()
    page.get_by_text("已提交地区督导委员会审核").wait_for(timeout=60000)
    settled(page)


def sign_out(page) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.get_by_label("用户名").wait_for(timeout=30000)
