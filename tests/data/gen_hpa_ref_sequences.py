#!/usr/bin/env python3
"""Generates tests/data/hpa_ref_sequences.json: extra HPA sequences computed by the reference
port of the HPA controller, hpa_ref.py (outside this repository: HPA_REF_DIR, by default
../shared/reference beside the checkout), with the workload model of
docs/models.md#hpa-workload-model, checked row by row by
tests/hpa_vectors.rs.  Run from anywhere:  python3 tests/data/gen_hpa_ref_sequences.py
Each case stores the HPA as a real autoscaling/v2 manifest (what scalesim parses) and the
equivalent hpa_ref objects are built from that same manifest."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.environ.get("HPA_REF_DIR", os.path.join(HERE, "..", "..", "..", "shared", "reference"))
sys.path.insert(0, REF)
import hpa_ref as h  # noqa: E402


def rules_of(d):
    if d is None:
        return None
    pols = None
    if "policies" in d:
        pols = [h.Policy(p["type"], p["value"], p["periodSeconds"]) for p in d["policies"]]
    tol = float(d["tolerance"]) if "tolerance" in d else None
    return h.ScalingRules(d.get("stabilizationWindowSeconds"), d.get("selectPolicy"), pols, tol)


def behavior_of(spec):
    if "behavior" not in spec:
        return None
    b = spec["behavior"]
    return h.Behavior(rules_of(b.get("scaleUp")), rules_of(b.get("scaleDown")))


def manifest(min_r, max_r, target, behavior="omit"):
    spec = {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
        "minReplicas": min_r,
        "maxReplicas": max_r,
        "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                                                       "target": {"type": "Utilization", "averageUtilization": target}}}],
    }
    if behavior != "omit":
        spec["behavior"] = behavior
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web"}, "spec": spec}


SEED001 = {
    "scaleUp": {"selectPolicy": "Max", "policies": [{"type": "Percent", "value": 50, "periodSeconds": 30},
                                                    {"type": "Pods", "value": 5, "periodSeconds": 30}]},
    "scaleDown": {"selectPolicy": "Max", "policies": [{"type": "Percent", "value": 25, "periodSeconds": 300},
                                                      {"type": "Pods", "value": 2, "periodSeconds": 300}]},
}
SPIKE = [[0, 2100], [60, 21000], [615, 2100]]
SHORT_SPIKE = [[0, 2100], [60, 21000], [90, 2100]]

CASES = [
    ("seed001-spike-ready-at-once", manifest(3, 20, 70, SEED001), SPIKE, 3, None, 0, 2400),
    ("seed001-spike-cpu-limit-30s-ready", manifest(3, 20, 70, SEED001), SPIKE, 3, 1000, 30, 2400),
    ("legacy-short-spike-keeps-scaling-up", manifest(3, 50, 70), SHORT_SPIKE, 3, None, 0, 600),
    ("default-behavior-short-spike-holds", manifest(3, 50, 70, {}), SHORT_SPIKE, 3, None, 0, 600),
    ("new-hpa-waits-300s-to-scale-down", manifest(2, 20, 70, {}), [[0, 1000]], 10, None, 0, 450),
    ("new-legacy-hpa-waits-300s-to-scale-down", manifest(2, 20, 70), [[0, 1000]], 10, None, 0, 450),
    ("select-min-with-up-window", manifest(2, 40, 60, {
        "scaleUp": {"selectPolicy": "Min", "stabilizationWindowSeconds": 60,
                    "policies": [{"type": "Pods", "value": 3, "periodSeconds": 15},
                                 {"type": "Percent", "value": 50, "periodSeconds": 30}]}}),
     [[0, 1200], [100, 9000], [700, 3000], [1000, 800]], 2, None, 0, 1800),
    ("scale-down-disabled", manifest(2, 30, 70, {"scaleDown": {"selectPolicy": "Disabled"}}),
     [[0, 1400], [60, 14000], [400, 1400]], 2, None, 15, 1200),
    ("per-direction-tolerance", manifest(4, 40, 50, {
        "scaleUp": {"tolerance": "0.05"}, "scaleDown": {"tolerance": "0.2", "stabilizationWindowSeconds": 60}}),
     [[0, 2000], [30, 2120], [90, 2300], [200, 1700], [400, 1500], [600, 900]], 4, None, 0, 1000),
    ("cpu-limit-and-60s-readiness", manifest(3, 50, 70, {}), SPIKE, 3, 1000, 60, 1200),
    ("legacy-literal-boundary", manifest(3, 50, 70), SPIKE, 3, None, 0, 960),
    ("ready-delay-beyond-cpu-initialization", manifest(2, 20, 50, {}), [[0, 1000], [30, 6000]], 2, None, 400, 1200),
    ("diurnal-steps", manifest(3, 50, 60, {}),
     [[0, 1800], [300, 4000], [900, 9000], [1500, 16000], [2100, 30000], [2400, 12000], [3000, 5000], [3600, 2000]],
     3, None, 20, 4800),
    ("percent-up-window-down-one-pod", manifest(1, 60, 80, {
        "scaleUp": {"stabilizationWindowSeconds": 30, "policies": [{"type": "Percent", "value": 200, "periodSeconds": 60}]},
        "scaleDown": {"stabilizationWindowSeconds": 60, "policies": [{"type": "Pods", "value": 1, "periodSeconds": 15}]}}),
     [[0, 500], [45, 20000], [500, 3000]], 1, 2000, 45, 1500),
]


def random_cases(n=40):
    """Seeded random HPAs (legacy and behavior) against random demand curves."""
    import random
    rng = random.Random(424242)

    def rules():
        r = {}
        if rng.random() < 0.6:
            r["stabilizationWindowSeconds"] = rng.choice([0, 15, 30, 60, 120, 300, 600])
        if rng.random() < 0.5:
            r["selectPolicy"] = rng.choice(["Max", "Max", "Min", "Disabled"])
        if rng.random() < 0.7:
            r["policies"] = [{"type": rng.choice(["Pods", "Percent"]),
                              "value": rng.choice([1, 2, 4, 5, 10, 25, 50, 100, 200]),
                              "periodSeconds": rng.choice([15, 30, 60, 90, 300])}
                             for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.2:
            r["tolerance"] = rng.choice(["0.05", "0.2", "0"])
        return r

    cases = []
    for k in range(n):
        lo = rng.randint(1, 5)
        hi = rng.randint(lo, 60)
        target = rng.choice([40, 50, 60, 70, 80, 90])
        if rng.random() < 0.3:
            behavior = "omit"
        else:
            behavior = {}
            if rng.random() < 0.7:
                behavior["scaleUp"] = rules()
            if rng.random() < 0.7:
                behavior["scaleDown"] = rules()
        t, steps = 0, []
        while t < 3000:
            steps.append([t, rng.choice([0, 500, 1500, 3000, 6000, 12000, 25000, 40000])])
            t += rng.choice([15, 45, 60, 120, 300, 600])
        initial = rng.randint(lo, hi)
        limit = rng.choice([None, None, 1000, 1500])
        delay = rng.choice([0, 0, 15, 30, 60, 400])
        cases.append((f"random-{k:02}", manifest(lo, hi, target, behavior), steps, initial, limit, delay, 3600))
    return cases


def step_fn(steps):
    def demand(t):
        d = 0
        for ts, v in steps:
            if ts <= t:
                d = v
        return d
    return demand


def calc_cases():
    """Seeded random replica-calculator cases (resource utilization and plain metrics)."""
    import random
    rng = random.Random(20251124)
    cases = []
    for k in range(300):
        n = rng.randint(1, 12)
        pods = []
        for j in range(n):
            state = rng.choice(["ready"] * 6 + ["unready", "missing", "ignored"])
            usage = None if state == "missing" else rng.choice([0, 50, 100, 250, 400, 500, 700, 900, 1000, 1500, 2000, 3300])
            request = rng.choice([100, 250, 500, 1000, 1000, 2000])
            pods.append({"name": f"p{j}", "state": state, "usage_m": usage, "request_m": request})
        current = rng.randint(1, 20)
        tol_up = rng.choice([0.1, 0.1, 0.05, 0.0, 0.2])
        tol_down = rng.choice([0.1, 0.1, 0.05, 0.0, 0.2])
        tols = h.Tolerances(scale_down=tol_down, scale_up=tol_up)
        objs = [h.Pod(p["name"], p["state"], p["usage_m"], p["request_m"]) for p in pods]
        kind = "utilization" if k % 2 == 0 else "plain"
        target = rng.choice([30, 50, 60, 70, 80, 90, 150]) if kind == "utilization" else rng.choice([100, 250, 500, 1000])
        try:
            if kind == "utilization":
                r = h.get_resource_replicas(current, target, objs, tols)
            else:
                r = h.calc_plain_metric_replicas(current, target, objs, tols)
            exp = {"replicas": r["replicas"], "usage_ratio": r["usage_ratio"], "path": r["path"],
                   "new_usage_ratio": r.get("new_usage_ratio"), "utilization": r.get("utilization")}
        except ValueError as e:
            exp = {"error": str(e)}
        cases.append({"kind": kind, "current_replicas": current, "target": target,
                      "tolerance_up": tol_up, "tolerance_down": tol_down, "pods": pods, "expected": exp})
    return cases


COLUMNS = ("t", "replicas_before", "ready", "utilization_pct", "metric_desired", "replicas_after")


def main():
    calc = calc_cases()
    cpath = os.path.join(HERE, "hpa_ref_calc.json")
    with open(cpath, "w") as f:
        json.dump(calc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(calc)} calculator cases to {cpath}")
    out = []
    for cid, man, steps, initial, limit, delay, until in CASES + random_cases():
        spec = man["spec"]
        inclusive = cid == "legacy-literal-boundary"
        ctl = h.HPAController(spec["minReplicas"], spec["maxReplicas"], behavior_of(spec),
                              legacy_inclusive_boundary=inclusive)
        target = spec["metrics"][0]["resource"]["target"]["averageUtilization"]
        rows = h.simulate_cpu(ctl, step_fn(steps), initial, until, target, request_m=1000,
                              cpu_limit_m=limit, ready_delay_s=delay)
        out.append({
            "id": cid,
            "hpa": man,
            "demand_steps": steps,
            "initial_replicas": initial,
            "cpu_request_m": 1000,
            "cpu_limit_m": limit,
            "ready_delay_s": delay,
            "until_s": until,
            "legacy_inclusive_boundary": inclusive,
            "expected": {
                "replicas_after_each_sync": [r["replicas_after"] for r in rows],
                # Compact rows: [t, replicas_before, ready, utilization_pct, metric_desired, replicas_after].
                "per_sync_rows": [[r[k] for k in COLUMNS] for r in rows],
            },
        })
    path = os.path.join(HERE, "hpa_ref_sequences.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(out)} cases to {path}")


if __name__ == "__main__":
    main()
