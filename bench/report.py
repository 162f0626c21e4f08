#!/usr/bin/python3
"""Turns the records of one bench/run.sh run into bench/runs/<name>.md and .json.

usage: /usr/bin/python3 bench/report.py RECORDS.tsv OUT.md OUT.json

RECORDS.tsv lines (tab-separated), written by bench/run.sh:
  env      KEY  VALUE
  corpus   SIZE  DIR  STATUS(generated|reused)  GEN_WALL_S
  cmd      SIZE  KEY  COMMAND
  run      SIZE  KEY  I  WALL_S  TIME_E  RSS_KB  RC
  sklearn  SIZE  I  JSON-LINE
  startup  HYPERFINE_JSON  RC
  micro    GOOGLE_BENCHMARK_JSON  COMMAND   (bench/run.sh --micro)

Without corpus runs (--micro-only) only the machine and the micro-benchmarks
are reported.
"""

import json
import os
import statistics
import sys

LABELS = {
    "cs_default_j1": "callsight -j 1, default taxonomy",
    "cs_default_j2": "callsight -j 2, default taxonomy",
    "cs_big_j1": "callsight -j 1, --taxonomy big.json (1,000 phrases)",
    "cs_big_j2": "callsight -j 2, --taxonomy big.json (1,000 phrases)",
    "rg_big": "rg -c -i -F, 1,000 phrases, all cores",
    "rg_big_j1": "rg -j1 -c -i -F, 1,000 phrases",
    "rg_planted": "rg -c -i -F, 40 planted phrases, all cores",
    "sklearn_big": "scikit-learn CountVectorizer, 1,000 phrases (1 core)",
}
ORDER = list(LABELS)

TARGETS = {
    "per_core_mb_s": 200.0,   # callsight -j 1, default taxonomy, MB/s
    "vs_rg": 1.5,             # callsight time / rg time, at most
    "vs_sklearn": 50.0,       # sklearn time / callsight time, at least
    "j2_speedup": 1.8,        # -j 1 time / -j 2 time, at least
    "rss_mb_1m": 256.0,       # peak RSS at 1M calls, at most
    "rss_growth": 1.25,       # peak RSS at the largest / smallest size, at most ("flat")
    "startup_ms": 20.0,       # mean start-up time on an empty folder, below
}


def read_records(path):
    env, corpora, cmds, runs, sk, startup, micro = {}, {}, {}, {}, {}, None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            kind = p[0]
            if kind == "env":
                env[p[1]] = p[2] if len(p) > 2 else ""
            elif kind == "corpus":
                corpora[int(p[1])] = {"dir": p[2], "status": p[3], "gen_wall_s": float(p[4]) if p[4] else None}
            elif kind == "cmd":
                cmds[(int(p[1]), p[2])] = p[3]
            elif kind == "run":
                runs.setdefault((int(p[1]), p[2]), []).append(
                    {"wall_s": float(p[4]), "time_e": float(p[5]) if p[5] else None,
                     "rss_kb": int(p[6]) if p[6] else None, "rc": int(p[7])})
            elif kind == "sklearn":
                sk.setdefault(int(p[1]), []).append(json.loads(p[3]))
            elif kind == "startup":
                startup = {"json": p[1], "rc": int(p[2])}
            elif kind == "micro":
                micro = {"json": p[1], "command": p[2]}
    return env, corpora, cmds, runs, sk, startup, micro


def fmt(x, nd=2, unit=""):
    if x is None:
        return "–"
    if isinstance(x, float):
        s = ("%%.%df" % nd) % x
    else:
        s = "{:,}".format(x)
    return s + unit


# Per-call stages of analyze_bytes, in pipeline order: (label, benchmark).
MICRO_STAGES = [
    ("decode (`decode_to_utf8`)", "BM_Decode"),
    ("plain-text parse (`parse_transcript`, format detection)", "BM_ParseTranscript"),
    ("`resolve_roles` (Agent/Customer labels kept)", "BM_ResolveRoles_Labels"),
    ("tag (`Matcher::tag`, default taxonomy)", "BM_MatcherTag/default_taxonomy"),
    ("`compute_call_metrics`", "BM_CallMetrics"),
    ("`SentimentScorer::score_call`", "BM_SentimentScoreCall"),
    ("redact the evidence snippets", "BM_RedactSnippets"),
]
MICRO_TOTAL = "BM_AnalyzeBytes/default_taxonomy"
# Not on the sample's analyze_bytes path, or with the 1,000-phrase taxonomy:
# (label, benchmark, the analyze_bytes benchmark its share is taken of, or None).
MICRO_OTHER = [
    ("`resolve_roles`, roles inferred (Speaker 1 / Speaker 2)", "BM_ResolveRoles_Inferred", None),
    ("tag (`Matcher::tag`), 1,000 phrases", "BM_MatcherTag/big_1000_phrases", "BM_AnalyzeBytes/big_1000_phrases"),
    ("`analyze_bytes` end to end, 1,000 phrases", "BM_AnalyzeBytes/big_1000_phrases", "BM_AnalyzeBytes/big_1000_phrases"),
]
MICRO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
# Google Benchmark's own keys of a run; any other numeric key is a user counter.
MICRO_KEYS = {"name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
              "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
              "bytes_per_second", "items_per_second", "aggregate_name", "aggregate_unit", "label",
              "error_occurred", "error_message"}


def read_micro(micro):
    """Medians (and the coefficient of variation) per benchmark from Google Benchmark's JSON."""
    with open(micro["json"], encoding="utf-8") as f:
        g = json.load(f)
    def take(r, b, statistic):
        scale = MICRO_NS.get(b["time_unit"], 1.0)
        r["real_ns"] = b["real_time"] * scale
        r["cpu_ns"] = b["cpu_time"] * scale
        r["bytes_per_s"] = b.get("bytes_per_second")
        r["items_per_s"] = b.get("items_per_second")
        r["counters"] = {k: v for k, v in b.items() if k not in MICRO_KEYS and isinstance(v, (int, float))}
        r["statistic"] = statistic

    rows, order, single = {}, [], {}
    for b in g["benchmarks"]:
        name = b["run_name"]
        if name not in rows:
            rows[name] = {"name": name, "runs": 0}
            order.append(name)
        r = rows[name]
        if b.get("error_occurred"):
            r["error"] = b.get("error_message", "")
        if b["run_type"] == "iteration":
            r["runs"] += 1
            single[name] = b
            continue
        agg = b["aggregate_name"]
        if agg == "median" or (agg == "mean" and "real_ns" not in r):
            take(r, b, agg)
        elif agg == "cv":
            r["cv_cpu"] = b["cpu_time"]
    for name, r in rows.items():
        # One repetition: Google Benchmark writes no aggregates, the run is the value.
        if "real_ns" not in r and r["runs"] == 1 and not r.get("error"):
            take(r, single[name], "single run")
    for r in rows.values():
        spc = r.get("counters", {}).get("s/call")
        r["ns_per_call"] = spc * 1e9 if spc else None
        r["mb_per_s"] = r["bytes_per_s"] / 1e6 if r.get("bytes_per_s") else None
    context = {k: g["context"].get(k) for k in ("date", "host_name", "num_cpus", "mhz_per_cpu", "cpu_scaling_enabled",
                                                 "library_build_type", "load_avg", "sample") if k in g["context"]}
    return context, [rows[n] for n in order], g


def micro_section(micro, context, rows):
    by = {r["name"]: r for r in rows}
    total = by.get(MICRO_TOTAL, {}).get("ns_per_call")
    md = ["## Micro-benchmarks", ""]
    reps = max((r["runs"] for r in rows), default=0)
    md.append("`%s`: %s of each benchmark, %s (cv = coefficient of variation of the "
              "repetitions' CPU times). Rates and times per call are per CPU second of the benchmark thread "
              "(Google Benchmark's default), which leaves out time spent waiting for a core on a shared machine; "
              "wall times are listed below. Input: %s. Google Benchmark reports its library build as %s "
              "(Debian's package; it affects only the timing loop)." % (
                  micro["command"], "1 repetition" if reps == 1 else "%d repetitions" % reps,
                  "its value shown" if reps == 1 else "the median shown",
                  "%s; the per-call benchmarks do one pass over the calls per iteration and their MB/s counts the "
                  "calls' file bytes" % context.get("sample", "?"),
                  context.get("library_build_type", "?")))
    md.append("")
    errors = [r for r in rows if r.get("error")]
    for r in errors:
        md.append("> **%s failed:** %s" % (r["name"], r["error"]))
    if errors:
        md.append("")
    md.append("### Where the time of one call goes")
    md.append("")
    md.append("| stage | benchmark | ns per call | MB/s | share of analyze_bytes | cv |")
    md.append("| --- | --- | ---: | ---: | ---: | ---: |")

    def share(ns, of):
        return "%.1f%%" % (100.0 * ns / of) if ns and of else "–"

    def row(label, r, of):
        md.append("| %s | `%s` | %s | %s | %s | %s |" % (
            label, r["name"], fmt(round(r["ns_per_call"]) if r.get("ns_per_call") else None),
            fmt(r.get("mb_per_s"), 1), share(r.get("ns_per_call"), of),
            "%.1f%%" % (100 * r["cv_cpu"]) if r.get("cv_cpu") is not None else "–"))

    summed = 0.0
    for label, name in MICRO_STAGES:
        if name in by and by[name].get("ns_per_call"):
            row(label, by[name], total)
            summed += by[name]["ns_per_call"]
    if total:
        md.append("| sum of the stages above | | %s | | %s | |" % (fmt(round(summed)), share(summed, total)))
        md.append("| rest: evidence snippets, result assembly, allocation | | %s | | %s | |" % (
            fmt(round(total - summed)), share(total - summed, total)))
        row("**`analyze_bytes` end to end, default taxonomy**", by[MICRO_TOTAL], total)
    for label, name, of in MICRO_OTHER:
        if name in by and by[name].get("ns_per_call"):
            row(label, by[name], by.get(of, {}).get("ns_per_call") if of else None)
    md.append("")
    md.append("The redaction row is per call (all of a call's snippets); its MB/s counts snippet bytes. "
              "Inferred roles are not on the sample's path (its speakers are labelled Agent/Customer).")
    md.append("")
    md.append("### Every benchmark")
    md.append("")
    md.append("| benchmark | CPU time per iteration | wall time per iteration | cv | items/s | MB/s | counters |")
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |")

    def duration(ns):
        return "%.2f ms" % (ns / 1e6) if ns >= 1e6 else "%.1f µs" % (ns / 1e3) if ns >= 1e3 else "%.0f ns" % ns

    for r in rows:
        if "real_ns" not in r:
            continue
        counters = ", ".join("%s %s" % (k, ("%.4g" % v) if k != "s/call" else "%.0f ns" % (v * 1e9))
                             for k, v in sorted(r["counters"].items()))
        md.append("| `%s` | %s | %s | %s | %s | %s | %s |" % (
            r["name"], duration(r["cpu_ns"]), duration(r["real_ns"]),
            "%.1f%%" % (100 * r["cv_cpu"]) if r.get("cv_cpu") is not None else "–",
            "%.3g M" % (r["items_per_s"] / 1e6) if r.get("items_per_s") else "–", fmt(r.get("mb_per_s"), 1), counters))
    md.append("")
    return md


def main():
    records, out_md, out_json = sys.argv[1:4]
    env, corpora, cmds, runs, sk, startup, micro = read_records(records)
    micro_context, micro_rows, micro_raw = read_micro(micro) if micro else ({}, [], None)

    manifests = {}
    for size, c in corpora.items():
        with open(os.path.join(c["dir"], "manifest.json"), encoding="utf-8") as f:
            manifests[size] = json.load(f)

    results = []
    by = {}
    for size in sorted(corpora):
        m = manifests[size]
        for key in ORDER:
            rs = runs.get((size, key))
            if not rs:
                continue
            wall = statistics.median(r["wall_s"] for r in rs)
            rss = [r["rss_kb"] for r in rs if r["rss_kb"] is not None]
            res = {
                "size": size, "key": key, "label": LABELS[key], "command": cmds.get((size, key), ""),
                "runs": rs, "median_s": round(wall, 4),
                "mb_per_s": round(m["bytes"] / 1e6 / wall, 2) if wall > 0 else None,
                "calls_per_s": round(m["calls"] / wall, 1) if wall > 0 else None,
                "peak_rss_kb_median": int(statistics.median(rss)) if rss else None,
                "peak_rss_kb_max": max(rss) if rss else None,
                "exit_codes": sorted({r["rc"] for r in rs}),
            }
            results.append(res)
            by[(size, key)] = res

    def t(size, key):
        r = by.get((size, key))
        return r["median_s"] if r else None

    def ratio(a, b):
        return round(a / b, 3) if a is not None and b else None

    ratios = {}
    for size in sorted(corpora):
        ratios[size] = {
            "callsight_over_rg_all_cores": ratio(t(size, "cs_big_j2"), t(size, "rg_big")),
            "callsight_over_rg_1_core": ratio(t(size, "cs_big_j1"), t(size, "rg_big_j1")),
            "sklearn_over_callsight_1_core": ratio(t(size, "sklearn_big"), t(size, "cs_big_j1")),
            "sklearn_over_callsight_all_cores": ratio(t(size, "sklearn_big"), t(size, "cs_big_j2")),
            "j2_speedup_default": ratio(t(size, "cs_default_j1"), t(size, "cs_default_j2")),
            "j2_speedup_big": ratio(t(size, "cs_big_j1"), t(size, "cs_big_j2")),
        }

    startup_res = None
    if startup and os.path.exists(startup["json"]):
        with open(startup["json"], encoding="utf-8") as f:
            h = json.load(f)["results"][0]
        startup_res = {"command": h["command"], "mean_ms": round(h["mean"] * 1000, 3),
                       "stddev_ms": round((h.get("stddev") or 0) * 1000, 3),
                       "min_ms": round(h["min"] * 1000, 3), "max_ms": round(h["max"] * 1000, 3),
                       "runs": len(h.get("times", [])), "exit_code_on_empty_dir": startup["rc"]}

    # Targets, judged at the largest size measured.
    sizes = sorted(corpora)
    big = sizes[-1] if sizes else None
    targets = []

    def target(name, value, goal, ok, note=""):
        targets.append({"target": name, "measured": value, "goal": goal,
                        "status": "not measured" if value is None else ("pass" if ok else "FAIL"), "note": note})

    if big is not None:
        r = by.get((big, "cs_default_j1"))
        v = r["mb_per_s"] if r else None
        target("throughput per core, plain text, default taxonomy (MB/s)", v, ">= %g" % TARGETS["per_core_mb_s"],
               v is not None and v >= TARGETS["per_core_mb_s"], "callsight -j 1 at %s calls" % fmt(big))
        v = ratios[big]["callsight_over_rg_all_cores"]
        target("callsight / ripgrep time, 1,000 phrases, all cores", v, "<= %g" % TARGETS["vs_rg"],
               v is not None and v <= TARGETS["vs_rg"],
               "1 core: %s" % fmt(ratios[big]["callsight_over_rg_1_core"], 3))
        v = ratios[big]["sklearn_over_callsight_1_core"]
        target("scikit-learn / callsight time, 1,000 phrases, 1 core each", v, ">= %g" % TARGETS["vs_sklearn"],
               v is not None and v >= TARGETS["vs_sklearn"],
               "callsight -j 2: %s" % fmt(ratios[big]["sklearn_over_callsight_all_cores"], 1))
        v = ratios[big]["j2_speedup_default"]
        target("-j 2 speed-up over -j 1, default taxonomy", v, ">= %g" % TARGETS["j2_speedup"],
               v is not None and v >= TARGETS["j2_speedup"],
               "1,000 phrases: %s" % fmt(ratios[big]["j2_speedup_big"], 3))
    cs_keys = [k for k in ORDER if k.startswith("cs_")]

    def peak_mb(size):
        vals = [by[(size, k)]["peak_rss_kb_max"] for k in cs_keys if (size, k) in by and by[(size, k)]["peak_rss_kb_max"]]
        return round(max(vals) / 1024, 1) if vals else None

    v = peak_mb(1000000) if 1000000 in corpora else None
    target("peak RSS at 1,000,000 calls (MB)", v, "<= %g" % TARGETS["rss_mb_1m"],
           v is not None and v <= TARGETS["rss_mb_1m"], "" if v is not None else "run with --sizes ...,1000000")
    if len(sizes) >= 2 and peak_mb(sizes[0]) and peak_mb(sizes[-1]):
        v = round(peak_mb(sizes[-1]) / peak_mb(sizes[0]), 3)
        target("peak RSS growth, largest / smallest corpus", v, "<= %g (flat)" % TARGETS["rss_growth"],
               v <= TARGETS["rss_growth"], "%s MB at %s calls, %s MB at %s calls" % (
                   peak_mb(sizes[0]), fmt(sizes[0]), peak_mb(sizes[-1]), fmt(sizes[-1])))
    else:
        target("peak RSS growth, largest / smallest corpus", None, "<= %g (flat)" % TARGETS["rss_growth"], False,
               "needs two or more sizes")
    v = startup_res["mean_ms"] if startup_res else None
    target("start-up, `callsight analyze EMPTY_DIR` (ms, mean)", v, "< %g" % TARGETS["startup_ms"],
           v is not None and v < TARGETS["startup_ms"])

    corpus_runs = bool(corpora) or startup_res is not None
    data = {"schema_version": 1, "env": env,
            "corpora": [{"size": s, **corpora[s], "manifest": manifests[s]} for s in sizes],
            "results": results, "ratios": {str(k): v for k, v in ratios.items()},
            "sklearn": {str(k): v for k, v in sk.items()}, "startup": startup_res, "targets": targets}
    if not corpus_runs:  # --micro-only: nothing of the corpus runs to report
        data = {"schema_version": 1, "env": env}
    if micro:
        data["micro"] = {"command": micro["command"], "context": micro_context, "benchmarks": micro_rows,
                         "google_benchmark_output": micro_raw}
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.write("\n")

    md = []
    if corpus_runs:
        md.append("# callsight benchmark, %s" % env.get("date", ""))
        md.append("")
        md.append("Made by `bench/run.sh %s`. Each time is the median of the runs shown, page cache warm; "
                  "MB = 10^6 bytes of transcript files; peak RSS from `/usr/bin/time -f %%M`." % env.get("args", ""))
    else:
        md.append("# callsight micro-benchmarks, %s" % env.get("date", ""))
        md.append("")
        md.append("Made by `bench/run.sh %s`: Google Benchmark, Release build; MB = 10^6 bytes." % env.get("args", ""))
    md.append("")
    try:
        busy = max(float(env.get(k, "0").split()[0])
                   for k in ("load_start", "load_end", "micro_load_start", "micro_load_end") if env.get(k))
    except ValueError:
        busy = 0.0
    if busy > 0.5:
        md.append("> **Busy machine:** the 1-minute load average was up to %.2f on %s cores around this run, so "
                  "other processes took CPU time; %s." % (
                      busy, env.get("cores", "?"),
                      "the -j 2 and all-core numbers suffer most" if corpus_runs else
                      "single-threaded times stretch when the core is shared, so read them as upper bounds"))
        md.append("")
    md.append("| machine | |")
    md.append("| --- | --- |")
    for k, label in [("date", "date (UTC)"), ("host", "host"), ("cpu", "CPU"), ("cores", "cores"),
                     ("memory", "memory"), ("kernel", "kernel"), ("compiler", "compiler"),
                     ("build_type", "build type"), ("git", "git revision"), ("rg", "ripgrep"),
                     ("hyperfine", "hyperfine"), ("python", "python"), ("sklearn", "scikit-learn"),
                     ("benchmark", "benchmark library"),
                     ("workdir", "work dir (filesystem)"), ("load_start", "load average at start"),
                     ("load_end", "load average at end"), ("micro_load_start", "load average, micro-benchmarks start"),
                     ("micro_load_end", "load average, micro-benchmarks end")]:
        if k in env:
            md.append("| %s | %s |" % (label, env[k].replace("|", "/")))
    md.append("")
    if not corpus_runs:
        md.extend(micro_section(micro, micro_context, micro_rows) if micro else [])
        with open(out_md, "w", encoding="utf-8") as f:
            f.write("\n".join(md))
        return
    md.append("## Corpora")
    md.append("")
    md.append("| calls | format | seed | files | MB | words/call p10 / median / p90 | corpus |")
    md.append("| ---: | --- | ---: | ---: | ---: | --- | --- |")
    for s in sizes:
        m = manifests[s]
        w = m["words_per_call"]
        status = corpora[s]["status"]
        if status == "generated" and corpora[s]["gen_wall_s"]:
            status += " in %.1f s (%.0f MB/s)" % (corpora[s]["gen_wall_s"], m["bytes"] / 1e6 / corpora[s]["gen_wall_s"])
        md.append("| %s | %s | %s | %s | %.1f | %s / %s / %s | %s |" % (
            fmt(s), m["format"], m["seed"], fmt(m["files"]), m["bytes"] / 1e6, w["p10"], w["median"], w["p90"], status))
    md.append("")
    md.append("## Results")
    md.append("")
    md.append("| calls | what | runs | median s | MB/s | calls/s | peak RSS MB | exit |")
    md.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        md.append("| %s | %s | %d | %.3f | %s | %s | %s | %s |" % (
            fmt(r["size"]), r["label"], len(r["runs"]), r["median_s"], fmt(r["mb_per_s"], 1),
            fmt(r["calls_per_s"], 0), fmt(r["peak_rss_kb_median"] / 1024 if r["peak_rss_kb_median"] else None, 1),
            ",".join(str(c) for c in r["exit_codes"])))
    md.append("")
    md.append("## Ratios")
    md.append("")
    md.append("| calls | callsight / rg (all cores) | callsight / rg (1 core) | sklearn / callsight (1 core) "
              "| sklearn / callsight (-j 2) | -j 2 speed-up (default) | -j 2 speed-up (1,000 phrases) |")
    md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s in sizes:
        q = ratios[s]
        md.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            fmt(s), fmt(q["callsight_over_rg_all_cores"], 3), fmt(q["callsight_over_rg_1_core"], 3),
            fmt(q["sklearn_over_callsight_1_core"], 1), fmt(q["sklearn_over_callsight_all_cores"], 1),
            fmt(q["j2_speedup_default"], 3), fmt(q["j2_speedup_big"], 3)))
    md.append("")
    md.append("## Targets")
    md.append("")
    md.append("| target | goal | measured | status | note |")
    md.append("| --- | --- | ---: | --- | --- |")
    for tg in targets:
        md.append("| %s | %s | %s | %s | %s |" % (tg["target"], tg["goal"], fmt(tg["measured"], 3), tg["status"], tg["note"]))
    md.append("")
    if startup_res:
        md.append("## Start-up")
        md.append("")
        md.append("`%s` (hyperfine, %d runs): mean %.2f ms ± %.2f, min %.2f, max %.2f; exit code on an empty folder: %d." % (
            startup_res["command"], startup_res["runs"], startup_res["mean_ms"], startup_res["stddev_ms"],
            startup_res["min_ms"], startup_res["max_ms"], startup_res["exit_code_on_empty_dir"]))
        md.append("")
    if sk:
        md.append("## scikit-learn detail")
        md.append("")
        for s in sorted(sk):
            j = sk[s][-1]
            md.append("- %s calls: %s files, %s phrases (up to %s words), %s matches, %.1f s inside Python (%.2f MB/s), "
                      "scikit-learn %s." % (fmt(s), fmt(j["files"]), j["phrases"], j["max_words"], fmt(j["total_matches"]),
                                            j["seconds"], j["mb_per_s"] or 0, j["sklearn_version"]))
        md.append("")
    if micro:
        md.extend(micro_section(micro, micro_context, micro_rows))
    md.append("## Commands")
    md.append("")
    seen = set()
    for r in results:
        if r["key"] in seen:
            continue
        seen.add(r["key"])
        md.append("- %s: `%s`" % (r["label"], r["command"]))
    md.append("")
    with open(out_md, "w", encoding="utf-8") as f:
        f.write("\n".join(md))


if __name__ == "__main__":
    main()
