"""The county's additions as one mixed-integer program (达标测算的整数规划): the school rule of every
school and the CV limit (差异系数) of every stage and indicator together, at the least total cost.

Data in, data out: a `Problem` of arrays (no table, no standard), the additions out. The method
(docs/planning.md):

    variables  a[i, f] ≥ 0   what row i adds to lever figure f (whole units for people and rooms)
               z[i, k] ∈ {0, 1}  row i meets indicator k in full (only rows that fail today)
    value      x[i, k] = (have[i, k] + a[i, lever k]) / per[i, k]        (linear in a)
    school     x ≥ floor·t + (1 − floor)·t·z,   Σ_k z[i, k] ≥ min_met
    CV         CV ≤ L  ⇔  Σ wᵢxᵢ² ≤ (1 + L²)(Σ wᵢxᵢ)²  ⇔  ‖√w ∘ x‖ ≤ √(1 + L²)·(w · x)   (w = P/ΣP)
               — a second-order cone, so convex: by Cauchy–Schwarz, for any point b,
               Σ wᵢ bᵢ xᵢ / ‖√w ∘ b‖ ≤ ‖√w ∘ x‖, so  Σ wᵢ (bᵢ / ‖√w ∘ b‖ − √(1 + L²)) xᵢ ≤ 0
               holds at every feasible x: a valid linear cut, tight at b.
    cost       Σ cost[f] · a[i, f]

The cone is met by outer approximation: solve the MILP with the cuts found so far (a relaxation, so
its cost is a lower bound on the optimum), and where a stage's CV is still over its limit, add the cut
at the point where the segment from the solution to its mean (CV 0) crosses the limit (extended
supporting hyperplane). Repeat until every CV is within its limit: the solution is then feasible and
no dearer than the lower bound, hence optimal (to the solver's gap). Rows that pass today need no
binaries: additions only raise values.
"""

from __future__ import annotations

import functools
import math
import os
import sys
import warnings
from dataclasses import dataclass, field

import numpy as np

MIP_REL_GAP = 1e-6
# The limits are counts, not seconds, so that a plan does not depend on how busy the machine is
# (HiGHS on one thread is deterministic): at most MAX_ROUNDS solves of at most ROUND_NODES
# branch-and-bound nodes each; a bound found at a node limit is still a valid lower bound.
MAX_ROUNDS = 4
ROUND_NODES = 50
SAFETY_SECONDS = 2.0      # a round's time limit all the same, against a pathological table (the one
                          # limit that depends on the machine)
GAP_WAN = 0.01            # stop when the repaired plan is within 0.01 万元 (100 元) of the bound


@dataclass(frozen=True)
class Problem:
    """One county's planning problem over its rows in scope.

    `have[i, k]` the indicator's numerator now, `per[i, k]` the numerator per unit of value
    (students ÷ scale), `threshold[i, k]`; `lever[k]` the index of the figure added for k;
    `cost[f]` 万元 per unit of figure f, `integer[f]` whether f comes in whole units;
    `failing` the rows the school rule must be imposed on; `groups` (rows, weights, limit) per stage."""

    have: np.ndarray
    per: np.ndarray
    threshold: np.ndarray
    lever: tuple[int, ...]
    cost: np.ndarray
    integer: np.ndarray
    failing: np.ndarray
    floor: float
    min_met: int
    groups: tuple[tuple[np.ndarray, np.ndarray, float], ...]


@dataclass
class Solution:
    """`added[i, f]` (the solver's values, before rounding), the lower bound on the cost, the
    number of MILP solves, and whether every CV was within its limit at the end."""

    added: np.ndarray
    lower_bound: float
    rounds: int
    converged: bool
    cuts: int = 0
    solver: str = "highs"
    log: list[str] = field(default_factory=list)


def values(p: Problem, added: np.ndarray) -> np.ndarray:
    """x[i, k] for additions `added[i, f]`."""
    return (p.have + added[:, list(p.lever)]) / p.per


def cv(x: np.ndarray, w: np.ndarray) -> float:
    """The engine's weighted CV of one column (weights summing to 1)."""
    mean = float(w @ x)
    return math.sqrt(max(float(w @ (x - mean) ** 2), 0.0)) / mean if mean > 0 else 0.0


def boundary_cut(x: np.ndarray, w: np.ndarray, limit: float) -> np.ndarray:
    """Coefficients c with c · x' ≤ 0 at every x' whose CV is within `limit`, tight where the segment
    from x to its mean crosses the limit (x itself when it is on or inside it)."""
    mean = float(w @ x)
    lo, hi = (1.0, 1.0) if cv(x, w) <= limit else (0.0, 1.0)
    if lo < hi:
        for _ in range(50):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if cv(mean + mid * (x - mean), w) <= limit else (lo, mid)
    b = mean + lo * (x - mean)
    norm = math.sqrt(float(w @ (b * b)))
    return w * (b / norm - math.sqrt(1 + limit * limit))


class _Milp:
    """Columns: a[i, f] row-major, then z for the failing rows. Rows kept as (index, coef, lo, hi)."""

    def __init__(self, p: Problem):
        self.p = p
        n, nf = p.have.shape[0], len(p.cost)
        self.n_a = n * nf
        self.fail_rows = np.flatnonzero(p.failing)
        n_k = len(p.lever)
        self.n_z = len(self.fail_rows) * n_k
        self.cost = np.concatenate([np.tile(p.cost, n), np.zeros(self.n_z)])
        self.integer = np.concatenate([np.tile(p.integer, n), np.ones(self.n_z, dtype=bool)])
        self.upper = np.concatenate([np.full(self.n_a, np.inf), np.ones(self.n_z)])
        self.rows: list[tuple[np.ndarray, np.ndarray, float, float]] = []
        self._school_rows()

    def a(self, i: int, f: int) -> int:
        return i * len(self.p.cost) + f

    def _school_rows(self) -> None:
        p, n_k = self.p, len(self.p.lever)
        for j, i in enumerate(self.fail_rows):
            zs = self.n_a + j * n_k + np.arange(n_k)
            for k in range(n_k):
                need = p.threshold[i, k] * p.per[i, k]
                self.rows.append((np.array([self.a(i, p.lever[k]), zs[k]]),
                                  np.array([1.0, -(1 - p.floor) * need]), p.floor * need - p.have[i, k], np.inf))
            self.rows.append((zs, np.ones(n_k), float(p.min_met), np.inf))

    def cut(self, rows: np.ndarray, k: int, coef: np.ndarray) -> tuple:
        """c · x ≤ 0 over `rows` for indicator k, as a row over the a columns: x = (have + a) / per."""
        p = self.p
        g = coef / p.per[rows, k]
        idx = np.array([self.a(i, p.lever[k]) for i in rows])
        return idx, g, -np.inf, -float(g @ p.have[rows, k])


@functools.lru_cache(maxsize=1)
def _highspy():
    """highspy, its banner swallowed: HiGHS 1.16 prints "Running HiGHS …" to the C stdout when the
    first `Highs()` of a process is made, before `output_flag` can be set, and that line would end up
    in `inspection report`'s or `plan --json`'s output. It prints once a process, so the first one is
    made here with file descriptor 1 on /dev/null."""
    import highspy
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    return highspy


def _solve_highs(m: _Milp, start: int, state: dict) -> tuple[np.ndarray, float]:
    highspy = _highspy()
    h = state.get("h")
    if h is None:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", MIP_REL_GAP)
        h.setOptionValue("threads", 1)
        h.setOptionValue("mip_max_nodes", ROUND_NODES)
        h.setOptionValue("time_limit", SAFETY_SECONDS)
        n = len(m.cost)
        h.addVars(n, np.zeros(n), m.upper)
        h.changeColsCost(n, np.arange(n, dtype=np.int32), m.cost)
        ints = np.flatnonzero(m.integer).astype(np.int32)
        h.changeColsIntegrality(len(ints), ints, np.full(len(ints), highspy.HighsVarType.kInteger))
        state["h"] = h
    for idx, coef, lo, hi in m.rows[start:]:
        h.addRow(lo, hi, len(idx), idx.astype(np.int32), coef.astype(float))
    h.run()
    status = h.getModelStatus()
    limited = status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kSolutionLimit,
                         highspy.HighsModelStatus.kIterationLimit) and h.getInfo().primal_solution_status
    if status != highspy.HighsModelStatus.kOptimal and not limited:
        raise RuntimeError(f"HiGHS: {h.modelStatusToString(status)}")
    x = np.array(h.getSolution().col_value)
    return x, float(h.getInfo().mip_dual_bound)


def _solve_pulp(m: _Milp, start: int, state: dict) -> tuple[np.ndarray, float]:
    """PuLP with CBC, rebuilt for each round (for the measurement in docs/planning.md)."""
    import pulp

    prob = pulp.LpProblem("plan", pulp.LpMinimize)
    xs = [prob.add_variable(f"v{j}", lowBound=0, upBound=None if math.isinf(u) else u,
                            cat="Integer" if m.integer[j] else "Continuous") for j, u in enumerate(m.upper)]
    prob += pulp.lpSum(c * xs[j] for j, c in enumerate(m.cost) if c)
    for idx, coef, lo, hi in m.rows:
        expr = pulp.lpSum(c * xs[j] for j, c in zip(idx.tolist(), coef.tolist()))
        prob += (expr >= lo) if math.isfinite(lo) else (expr <= hi)
    with warnings.catch_warnings():     # PuLP 3.3 announces that its bundled CBC goes in 4.0
        warnings.simplefilter("ignore", DeprecationWarning)
        prob.solve(pulp.PULP_CBC_CMD(msg=False, gapRel=MIP_REL_GAP, threads=1, timeLimit=SAFETY_SECONDS, maxNodes=ROUND_NODES))
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        raise RuntimeError(f"CBC: {pulp.LpStatus[prob.status]}")
    x = np.array([v.value() or 0.0 for v in xs])
    optimal = prob.sol_status == pulp.LpSolutionOptimal     # at a node or time limit, CBC's bound is not reported
    return x, float(m.cost @ x) * (1 - MIP_REL_GAP) if optimal else 0.0


SOLVERS = {"highs": _solve_highs, "pulp": _solve_pulp}


def solve(p: Problem, solver: str = "highs", incumbent: np.ndarray | None = None) -> Solution:
    """The cheapest additions meeting the school rule and every CV limit (see the module's docstring).

    Each round gives a lower bound (the relaxation) and, repaired by water-filling where a CV is still
    over, a plan (an upper bound); the best plan is returned once it is within `GAP_WAN` of the bound,
    or after MAX_ROUNDS. `incumbent`: a plan known to pass (school by school, then water-filling), the
    plan to beat; the cuts tangent at its values start the approximation near the optimum."""
    m, n, nf = _Milp(p), p.have.shape[0], len(p.cost)
    state: dict = {}
    best, best_cost, bound, start, cuts = None, math.inf, 0.0, 0, 0
    if incumbent is not None:
        best, best_cost = incumbent, float((incumbent * p.cost).sum())
        m.rows.extend(_tangent_cuts(m, incumbent))
    added = np.zeros((n, nf))
    for rounds in range(1, MAX_ROUNDS + 1):
        new = _violated_cuts(m, added)
        m.rows.extend(new)
        cuts += len(new)
        x, proven = SOLVERS[solver](m, start, state)
        bound = max(bound, proven)      # every round's bound is valid; a node-limited one may be weaker
        start = len(m.rows)
        added = np.maximum(x[: m.n_a].reshape(n, nf), 0.0)
        added[:, p.integer] = np.round(added[:, p.integer])
        plan = repair(p, added)
        cost = float((plan * p.cost).sum())
        if cost < best_cost:
            best, best_cost = plan, cost
        if best_cost - bound <= GAP_WAN:
            break
    return Solution(best, min(bound, best_cost), rounds, best_cost - bound <= GAP_WAN, cuts, solver)


def repair(p: Problem, added: np.ndarray) -> np.ndarray:
    """`added` with, for each stage and indicator whose CV is over its limit, its lowest schools raised
    to the lowest common level that brings it within (water-filling), whole units rounded up."""
    out = added.copy()
    for _ in range(4):
        x, over = values(p, out), False
        for rows, w, limit in p.groups:
            for k in range(len(p.lever)):
                if cv(x[rows, k], w) <= limit:
                    continue
                over = True
                level = _level(x[rows, k], w, limit * (1 - 1e-6))
                f = p.lever[k]
                need = np.maximum(level * p.per[rows, k] - p.have[rows, k], out[rows, f])
                out[rows, f] = np.ceil(need - 1e-9) if p.integer[f] else need + 1e-6
        if not over:
            break
    return out


def _level(x: np.ndarray, w: np.ndarray, limit: float) -> float:
    lo, hi = float(x.min()), float(x.max())
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if cv(np.maximum(x, mid), w) <= limit else (mid, hi)
    return hi


def _tangent_cuts(m: _Milp, added: np.ndarray) -> list[tuple]:
    """The cuts at a passing plan's values, for every stage and indicator whose CV it had to lower."""
    p, x0, x = m.p, values(m.p, np.zeros_like(added)), values(m.p, added)
    return [m.cut(rows, k, boundary_cut(x[rows, k], w, limit)) for rows, w, limit in p.groups
            for k in range(len(p.lever)) if cv(x0[rows, k], w) > limit]


def _violated_cuts(m: _Milp, added: np.ndarray) -> list[tuple]:
    p, out = m.p, []
    x = values(p, added)
    for rows, w, limit in p.groups:
        for k in range(len(p.lever)):
            if cv(x[rows, k], w) > limit:
                filled = np.maximum(x[rows, k], _level(x[rows, k], w, limit))
                out.append(m.cut(rows, k, boundary_cut(x[rows, k], w, limit)))
                out.append(m.cut(rows, k, boundary_cut(filled, w, limit)))
    return out
