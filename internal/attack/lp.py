"""The outsider's second weapon: linear and integer programming (SciPy's
HiGHS) over the system internal/attack exports from the public files.

For every withheld count it judges, it solves min and max of the count
over the linear relaxation, then, where the integer hull could change
the verdict (an interval under k + 3, or a small count's that reaches 0 but
not k + 3),
the integer program itself: HiGHS, branch and bound. The rules are those of
attack.go's judge: a withheld count pinned, a protected count narrower
than k, a small count (1..k-1) shown non-zero within less than k, or a
small count published. Prints a JSON summary; exits 1 on any finding.

    python3 internal/attack/lp.py system.json
"""
import json
import multiprocessing
import os
import sys

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix, diags


# The system, for the worker processes (set by main before they fork).
G = {}


def components(nodes, cons, free):
    """Groups the constraints by the withheld nodes they share."""
    parent = list(range(len(nodes)))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for c in cons:
        vs = [n for n, _ in c["terms"] if free[n]]
        for v in vs[1:]:
            ra, rb = find(vs[0]), find(v)
            if ra != rb:
                parent[ra] = rb
    groups = {}
    for ci, c in enumerate(cons):
        vs = [n for n, _ in c["terms"] if free[n]]
        if vs:
            groups.setdefault(find(vs[0]), []).append(ci)
    return find, groups


def judge(item):
    """Bounds every judged node of one connected component of withheld
    nodes; runs in a worker process (the system is read from globals
    inherited by fork)."""
    root, judged_nodes = item
    nodes, cons, free, groups, checks, k = (G[x] for x in ("nodes", "cons", "free", "groups", "checks", "k"))
    findings, lps, milps, judged, inconsistent = [], 0, 0, 0, 0
    cis = groups.get(root, [])
    var = sorted({t for ci in cis for t, _ in cons[ci]["terms"] if free[t]} | set(judged_nodes))
    col = {v: i for i, v in enumerate(var)}
    rows, cols, vals, lo_b, hi_b = [], [], [], [], []
    for r, ci in enumerate(cis):
        c = cons[ci]
        const = 0
        for t, coef in c["terms"]:
            if free[t]:
                rows.append(r)
                cols.append(col[t])
                vals.append(coef)
            else:
                const += coef * nodes[t]["value"]
        rhs = c["rhs"] - const
        lo_b.append(rhs if c["eq"] else -np.inf)
        hi_b.append(rhs)
    A = csr_matrix((vals, (rows, cols)), shape=(len(cis), len(var)))
    lb = np.array([nodes[v]["lo"] for v in var], dtype=float)
    ub = np.array([np.inf if nodes[v]["hi"] is None else nodes[v]["hi"] for v in var], dtype=float)
    # Rupiah sit beside counts with coefficients of Rp 100,000s. The
    # LP solves in thousands of rupiah (x = 1000·y) with every row
    # scaled to a largest coefficient of 1; the integer program keeps
    # the true units.
    A_int = A
    cs = np.array([1000.0 if "nominal" in nodes[v]["name"] else 1.0 for v in var])
    rs = np.ones(len(cis))
    if len(cis):
        A = A @ diags(cs)
        rs = np.maximum(abs(A).max(axis=1).toarray().ravel(), 1e-12)
        A = diags(1.0 / rs) @ A
    lb_s, ub_s = lb / cs, ub / cs
    A_ub = A_eq = None
    eq = np.array([cons[ci]["eq"] for ci in cis], dtype=bool)
    rhs = np.array(hi_b, dtype=float) / rs
    if eq.any():
        A_eq, b_eq = A[eq], rhs[eq]
    else:
        b_eq = None
    if (~eq).any():
        A_ub, b_ub = A[~eq], rhs[~eq]
    else:
        b_ub = None
    bounds = list(zip(lb_s, ub_s))

    def solve(obj_col, sense, integer):
        nonlocal lps, milps
        cvec = np.zeros(len(var))
        cvec[obj_col] = sense
        if not integer:
            lps += 1
            cvec[obj_col] = sense * cs[obj_col]
            for method in ("highs-ds", "highs-ipm"):
                r = linprog(cvec, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method=method)
                if r.status == 3:
                    return None  # unbounded
                if r.status == 0:
                    return sense * r.fun
            raise RuntimeError(f"LP failed: {r.message}")
        milps += 1
        cons_list = []
        if len(cis):
            cons_list.append(LinearConstraint(A_int, np.array(lo_b, dtype=float), np.array(hi_b, dtype=float)))
        r = milp(cvec, constraints=cons_list, integrality=np.ones(len(var)), bounds=Bounds(lb, ub),
                 options={"time_limit": 20})
        if r.status == 0:
            return sense * r.fun
        return None  # unbounded, or no proof in time: the LP bound stands

    for n in judged_nodes:
        c = checks[n]
        nd = nodes[n]
        truth = nd["value"]
        if c["implied"] and not 0 < truth < k:
            continue  # only an implied count's smallness is protected
        judged += 1
        j = col[n]
        lo = solve(j, 1, False)
        hi = solve(j, -1, False)
        lo = nd["lo"] if lo is None else int(np.ceil(lo - 1e-6))
        hi = None if hi is None else int(np.floor(hi + 1e-6))
        # Integer programs where the integer hull could decide.
        if hi is None or hi - lo < k + 3 or (0 < truth < k and lo == 0 and hi < k + 3):
            ilo = solve(j, 1, True)
            if ilo is not None:
                lo = max(lo, int(round(ilo)))
            if hi is not None:
                ihi = solve(j, -1, True)
                if ihi is not None:
                    hi = min(hi, int(round(ihi)))
        if truth < lo or (hi is not None and truth > hi):
            inconsistent += 1
            continue
        width = None if hi is None else hi - lo
        small = 0 < truth < k
        kind = None
        if width == 0 and truth != 0 and not c["implied"]:
            kind = "pinned"
        elif c["protected"] and truth != 0 and width is not None and width < k:
            kind = "narrow"
        elif small and lo > 0 and width is not None and width < k:
            kind = "small-exposed"
        if kind:
            findings.append({"node": nd["name"], "kind": kind, "lo": lo, "hi": hi, "truth": truth})
    return findings, lps, milps, judged, inconsistent


def main():
    sysm = json.load(open(sys.argv[1]))
    k = sysm["k"]
    nodes, cons = sysm["nodes"], sysm["constraints"]
    free = [not n["pub"] for n in nodes]
    find, groups = components(nodes, cons, free)
    checks = {}
    for c in sysm["checked"]:
        checks.setdefault(c["node"], c)
    findings, lps, milps, judged, inconsistent = [], 0, 0, 0, 0
    for n, c in checks.items():
        nd = nodes[n]
        truth = nd["value"]
        small = 0 < truth < k
        if nd["pub"]:
            if small:
                findings.append({"node": nd["name"], "kind": "small-published", "truth": truth})
    by_root = {}
    for n in checks:
        if free[n]:
            by_root.setdefault(find(n), []).append(n)
    items = sorted(by_root.items())
    workers = max(1, min(len(items), int(os.environ.get("ATTACK_LP_WORKERS", "0")) or os.cpu_count() or 1))
    G.update(nodes=nodes, cons=cons, free=free, groups=groups, checks=checks, k=k)
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(judge, items, chunksize=1)
    else:
        results = [judge(it) for it in items]
    for f, a, b, c, d in results:
        findings += f
        lps, milps, judged, inconsistent = lps + a, milps + b, judged + c, inconsistent + d
    out = {"judged": judged, "lps": lps, "milps": milps, "components": len(by_root),
           "inconsistent": inconsistent, "findings": findings[:50], "count": len(findings)}
    print(json.dumps(out))
    sys.exit(1 if findings or inconsistent else 0)


if __name__ == "__main__":
    main()
