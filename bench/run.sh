#!/usr/bin/env bash
# bench/run.sh - callsight speed and memory, side by side with ripgrep and scikit-learn.
#
# One command: installs what is missing (as root), builds callsight in Release
# in build-bench/, generates (or reuses) synthetic corpora, times callsight,
# ripgrep and a scikit-learn baseline on them, measures start-up, and writes
# bench/runs/YYYY-MM-DD-<cpu>.md and .json.  --micro adds the Google Benchmark
# per-stage micro-benchmarks (callsight_microbench).  See bench/README.md.
set -euo pipefail
export LC_ALL=C

usage() {
  cat <<'EOF'
usage: bench/run.sh [options]

  --sizes N[,N...]      corpus sizes in calls (default 10000); e.g. 10000,100000,1000000
                        (1,000,000 calls: ~4.6 GB of text, ~6.5 GB on disk, about an hour)
  --seed S              corpus seed (default 42)
  --format txt|json     transcript format of the corpora (default txt)
  --repeat R            timed runs per measurement, median reported (default 3)
  --sklearn-repeat R    runs of the scikit-learn baseline (default: --repeat up to
                        100,000 calls, 1 above: it reads ~2 MB/s)
  --no-sklearn          skip the scikit-learn baseline
  --no-build            do not run cmake; use what is in build-bench/
  --baselines-only      no callsight: generator, ripgrep and scikit-learn only
                        (for checking the harness before the CLI exists)
  --micro               also run the per-stage micro-benchmarks (callsight_microbench,
                        Google Benchmark, --repeat repetitions, medians reported)
  --micro-only          only the micro-benchmarks: no corpora, ripgrep, scikit-learn
                        or start-up; the report is runs/DATE-NAME-micro.md and .json
  --micro-filter RE     run only the micro-benchmarks whose name matches RE
  --out-dir DIR         where the report goes (default bench/runs)
  -h, --help            this help

Environment: CALLSIGHT_BENCH_DIR  work dir for corpora and scratch (default /tmp/callsight-bench)
             CALLSIGHT_BENCH_NAME report name suffix (default: CPU model and core count)
EOF
}

die() {
  printf 'bench/run.sh: error: %s\n' "$*" >&2
  exit 1
}
log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'bench/run.sh: warning: %s\n' "$*" >&2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY=/usr/bin/python3
SIZES=10000
SEED=42
FORMAT=txt
REPEAT=3
SKLEARN_REPEAT=""
RUN_SKLEARN=1
BUILD=1
BASELINES_ONLY=0
MICRO=0
MICRO_ONLY=0
MICRO_FILTER=""
OUT_DIR="$ROOT/bench/runs"
WORK="${CALLSIGHT_BENCH_DIR:-/tmp/callsight-bench}"
ARGS="$*"

while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="${2:?--sizes needs a value}"; shift 2 ;;
    --sizes=*) SIZES="${1#*=}"; shift ;;
    --seed) SEED="${2:?--seed needs a value}"; shift 2 ;;
    --seed=*) SEED="${1#*=}"; shift ;;
    --format) FORMAT="${2:?--format needs a value}"; shift 2 ;;
    --format=*) FORMAT="${1#*=}"; shift ;;
    --repeat) REPEAT="${2:?--repeat needs a value}"; shift 2 ;;
    --repeat=*) REPEAT="${1#*=}"; shift ;;
    --sklearn-repeat) SKLEARN_REPEAT="${2:?--sklearn-repeat needs a value}"; shift 2 ;;
    --sklearn-repeat=*) SKLEARN_REPEAT="${1#*=}"; shift ;;
    --no-sklearn) RUN_SKLEARN=0; shift ;;
    --no-build) BUILD=0; shift ;;
    --baselines-only) BASELINES_ONLY=1; shift ;;
    --micro) MICRO=1; shift ;;
    --micro-only) MICRO=1; MICRO_ONLY=1; shift ;;
    --micro-filter) MICRO_FILTER="${2:?--micro-filter needs a value}"; shift 2 ;;
    --micro-filter=*) MICRO_FILTER="${1#*=}"; shift ;;
    --out-dir) OUT_DIR="${2:?--out-dir needs a value}"; shift 2 ;;
    --out-dir=*) OUT_DIR="${1#*=}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

# --- checks on the options ----------------------------------------------------
IFS=, read -r -a SIZE_LIST <<<"$SIZES"
[ "${#SIZE_LIST[@]}" -gt 0 ] || die "--sizes is empty"
for n in "${SIZE_LIST[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]{0,6}$ ]] || die "bad size '$n' (1 to 9999999 calls)"
done
[[ "$SEED" =~ ^[0-9]+$ ]] || die "bad --seed '$SEED'"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || die "bad --repeat '$REPEAT'"
[ -z "$SKLEARN_REPEAT" ] || [[ "$SKLEARN_REPEAT" =~ ^[1-9][0-9]*$ ]] || die "bad --sklearn-repeat"
case "$FORMAT" in txt | json) ;; *) die "--format must be txt or json" ;; esac
case "$WORK" in *[[:space:]]*) die "CALLSIGHT_BENCH_DIR must not contain spaces: $WORK" ;; esac
if [ "$MICRO" -eq 1 ] && [ "$BASELINES_ONLY" -eq 1 ]; then die "--micro needs callsight: not with --baselines-only"; fi
# --micro-only: no corpus sizes, so the timing loop below runs no round.
if [ "$MICRO_ONLY" -eq 1 ]; then SIZE_LIST=(); fi

# --- (a) tools ------------------------------------------------------------------
ensure_tools() {
  local missing=()
  command -v cmake >/dev/null 2>&1 || missing+=(cmake)
  command -v c++ >/dev/null 2>&1 || missing+=(g++)
  [ -x "$PY" ] || missing+=(python3)
  # Google Benchmark, only for the micro-benchmarks (the default build never needs it).
  [ "$MICRO" -eq 0 ] || [ -r /usr/include/benchmark/benchmark.h ] || missing+=(libbenchmark-dev)
  if [ "$MICRO_ONLY" -eq 0 ]; then
    command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
    command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
    [ -x /usr/bin/time ] || missing+=(time)
    if ! { [ -x "$PY" ] && "$PY" -c 'import sklearn' >/dev/null 2>&1; }; then
      missing+=(python3-sklearn)
    fi
    # wamerican: source of the tail of bench/wordfreq_en.txt (checked below).
    [ -r /usr/share/dict/words ] || missing+=(wamerican)
  fi
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
      die "apt-get install ${missing[*]} failed"
  else
    die "missing packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
  fi
}
ensure_tools
if [ "$MICRO_ONLY" -eq 0 ] && ! "$PY" "$ROOT/bench/make_wordfreq.py" --check >/dev/null; then
  warn "bench/wordfreq_en.txt differs from its derivation (bench/make_wordfreq.py); corpora still use the shipped list"
fi

# --- (b) build ------------------------------------------------------------------
BUILD_DIR="$ROOT/build-bench"
CS="$BUILD_DIR/callsight"
if [ "$BUILD" -eq 1 ]; then
  if [ -f "$ROOT/CMakeLists.txt" ]; then
    log "building callsight (Release) in build-bench/"
    cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DCALLSIGHT_BUILD_BENCH=ON >/dev/null ||
      die "cmake configure failed (cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DCALLSIGHT_BUILD_BENCH=ON)"
    # Only what the benchmark runs (not the test suite).
    targets=(callsight_gen_corpus)
    [ "$BASELINES_ONLY" -eq 1 ] || [ "$MICRO_ONLY" -eq 1 ] || targets+=(callsight)
    [ "$MICRO" -eq 0 ] || targets+=(callsight_microbench)
    cmake --build "$BUILD_DIR" -j2 --target "${targets[@]}" ||
      die "build failed (cmake --build build-bench -j2 --target ${targets[*]})"
  elif [ "$BASELINES_ONLY" -eq 1 ]; then
    log "no root CMakeLists.txt: building the corpus generator alone in build-bench/bench-only"
    cmake -S "$ROOT/bench" -B "$BUILD_DIR/bench-only" -DCMAKE_BUILD_TYPE=Release >/dev/null || die "cmake configure of bench/ failed"
    cmake --build "$BUILD_DIR/bench-only" -j2 >/dev/null || die "build of bench/ failed"
  else
    die "no CMakeLists.txt in $ROOT"
  fi
fi
if [ "$BASELINES_ONLY" -eq 0 ] && [ "$MICRO_ONLY" -eq 0 ] && [ ! -x "$CS" ]; then
  die "build-bench/callsight is missing: the build did not produce the CLI ($CS). Build it, or use --baselines-only."
fi
GEN=""
for g in "$BUILD_DIR/bench/callsight_gen_corpus" "$BUILD_DIR/callsight_gen_corpus" "$BUILD_DIR/bin/callsight_gen_corpus" \
  "$BUILD_DIR/bench-only/callsight_gen_corpus"; do
  if [ -x "$g" ]; then GEN="$g" && break; fi
done
if [ -z "$GEN" ]; then
  GEN="$(find "$BUILD_DIR" -type f -name callsight_gen_corpus -perm -u+x 2>/dev/null | sed -n 1p || true)"
fi
[ -n "$GEN" ] || die "callsight_gen_corpus is missing in build-bench/ (is CALLSIGHT_BUILD_BENCH=ON honoured?)"
GEN_VERSION="$("$GEN" --version | awk '{print $2}')"
MICRO_BIN="$BUILD_DIR/bench/callsight_microbench"
if [ "$MICRO" -eq 1 ] && [ ! -x "$MICRO_BIN" ]; then
  die "build-bench/bench/callsight_microbench is missing: is libbenchmark-dev installed? (cmake says so when configuring)"
fi

# --- scratch and records --------------------------------------------------------
mkdir -p "$WORK"
RUNDIR="$(mktemp -d "$WORK/run.XXXXXX")"
RECORDS="$RUNDIR/records.tsv"
: >"$RECORDS"
record() {
  local IFS=$'\t'
  printf '%s\n' "$*" >>"$RECORDS"
}
env_record() { record env "$1" "$2"; }

cpu_model="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | sed -n 1p)"
[ -n "$cpu_model" ] || cpu_model="unknown CPU"
cores="$(nproc)"
cxx=""
if [ -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cxx="$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" | sed -n 1p)"
fi
[ -n "$cxx" ] || cxx="$(command -v c++ || true)"
git_rev="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no commit')"
if [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | sed -n 1p)" ]; then git_rev="$git_rev (dirty)"; fi
env_record date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
env_record args "$ARGS"
env_record host "$(hostname 2>/dev/null || echo unknown)"
env_record cpu "$cpu_model"
env_record cores "$cores"
env_record memory "$(free -g | awk '/^Mem:/{print $2 " GiB"}')"
env_record kernel "$(uname -sr)"
env_record compiler "$({ [ -n "$cxx" ] && "$cxx" --version 2>/dev/null | sed -n 1p; } || echo unknown)"
env_record build_type "Release (build-bench/)"
env_record git "$git_rev"
if [ "$MICRO_ONLY" -eq 0 ]; then
  env_record rg "$(rg --version | sed -n 1p)"
  env_record hyperfine "$(hyperfine --version)"
  env_record python "$("$PY" --version 2>&1)"
  env_record sklearn "$("$PY" -c 'import sklearn; print(sklearn.__version__)')"
fi
if [ "$MICRO" -eq 1 ]; then
  env_record benchmark "Google Benchmark $(dpkg-query -W -f='${Version}' libbenchmark-dev 2>/dev/null || echo '(version unknown)')"
fi
env_record workdir "$WORK ($(df -PT "$WORK" | awk 'NR==2{print $2}'))"
env_record load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
env_record generator "callsight_gen_corpus $GEN_VERSION"

# --- helpers --------------------------------------------------------------------
# `callsight analyze -o /dev/null` run as root (a test, a script) replaces
# /dev/null with a regular file, since reports are written by temp file + rename.
check_dev_null() {
  [ -c /dev/null ] ||
    die "/dev/null is not a character device ($1); something renamed a file onto it. Fix (as root): rm -f /dev/null && mknod -m 666 /dev/null c 1 3"
}
check_dev_null "at start"
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'; }

# measure SIZE KEY REPS MAXRC STDOUT CMD...: runs CMD REPS times under
# /usr/bin/time -f '%e %M' and records wall seconds (bash clock, microseconds),
# /usr/bin/time's own %e, peak RSS in KB and the exit code.
measure() {
  local size=$1 key=$2 reps=$3 maxrc=$4 out=$5
  shift 5
  local i rc t0 t1 wall last te rss times="" err="$RUNDIR/$key-$size.stderr"
  for ((i = 1; i <= reps; i++)); do
    t0=$EPOCHREALTIME
    if /usr/bin/time -f '%e %M' -o "$RUNDIR/time.txt" "$@" >"$out" 2>"$err"; then rc=0; else rc=$?; fi
    t1=$EPOCHREALTIME
    last="$(tail -n 1 "$RUNDIR/time.txt")"
    read -r te rss <<<"$last"
    wall="$(elapsed "$t0" "$t1")"
    times+="${wall}s "
    record run "$size" "$key" "$i" "$wall" "$te" "$rss" "$rc"
    if [ "$rc" -gt "$maxrc" ]; then
      tail -n 20 "$err" >&2 || true
      die "$key on $size calls exited with $rc: $*"
    fi
    if [ "$rc" -ne 0 ] && [ "$key" != "${key#cs_}" ]; then
      warn "$key on $size calls exited with $rc (some files failed; see $err)"
    fi
    check_dev_null "after $key on $size calls"
  done
  printf '    %-14s %s\n' "$key" "$times" >&2
}

corpus_dir() { printf '%s/corpus-%s-n%s-s%s' "$WORK" "$FORMAT" "$1" "$SEED"; }

prepare_corpus() {
  local n=$1 dir t0 t1 need_kb avail_kb
  dir="$(corpus_dir "$n")"
  if [ -f "$dir/manifest.json" ] && grep -q "\"generator_version\":\"$GEN_VERSION\"" "$dir/manifest.json"; then
    log "reusing $dir"
    record corpus "$n" "$dir" reused ""
    return 0
  fi
  rm -rf "$dir" "$dir.tmp"
  # ~6.5 KB per plain-text call on disk (4.6 KB of text in 4 KB blocks), ~9.5 KB as JSON.
  if [ "$FORMAT" = txt ]; then need_kb=$((n * 7 + 10240)); else need_kb=$((n * 10 + 10240)); fi
  avail_kb="$(df -Pk "$WORK" | awk 'NR==2{print $4}')"
  [ "$avail_kb" -gt "$need_kb" ] || die "not enough disk in $WORK for $n calls: need ~$((need_kb / 1024)) MB, have $((avail_kb / 1024)) MB"
  log "generating $n calls ($FORMAT, seed $SEED) in $dir"
  t0=$EPOCHREALTIME
  "$GEN" --calls "$n" --out "$dir.tmp" --seed "$SEED" --format "$FORMAT" \
    --phrases "$dir.tmp/phrases.txt" --big-taxonomy "$dir.tmp/big.json" || die "corpus generation failed"
  t1=$EPOCHREALTIME
  mv "$dir.tmp" "$dir"
  record corpus "$n" "$dir" generated "$(elapsed "$t0" "$t1")"
}

# Small fresh corpora: check the planted ground truth with the scikit-learn
# counter (every planted phrase must be counted exactly as planted.csv says).
verify_corpus() {
  local n=$1 dir
  dir="$(corpus_dir "$n")"
  if [ "$n" -gt 10000 ] || [ -f "$dir/verified" ] || [ "$RUN_SKLEARN" -eq 0 ]; then return 0; fi
  log "verifying planted phrases of $dir"
  "$PY" "$ROOT/bench/sklearn_baseline.py" --phrases "$dir/phrases.txt" --counts-out "$RUNDIR/planted-counts.csv" \
    "${SHARDS[@]}" >/dev/null || die "scikit-learn baseline failed on $dir"
  "$PY" - "$dir/planted_rates.csv" "$RUNDIR/planted-counts.csv" <<'EOF' || die "planted phrases do not match planted.csv in $dir"
import csv, sys
want = {r["phrase"]: int(r["occurrences"]) for r in csv.DictReader(open(sys.argv[1]))}
got = {r["phrase"]: int(r["count"]) for r in csv.DictReader(open(sys.argv[2]))}
bad = [p for p in want if want[p] != got.get(p)]
if bad:
    sys.exit("mismatch: %s" % bad[:5])
EOF
  date -u +%FT%TZ >"$dir/verified"
}

# --- (c)-(e) per corpus size -----------------------------------------------------
for n in "${SIZE_LIST[@]}"; do
  prepare_corpus "$n"
  dir="$(corpus_dir "$n")"
  mapfile -t SHARDS < <(find "$dir" -mindepth 1 -maxdepth 1 -type d -name '[0-9][0-9][0-9][0-9]' | sort)
  [ "${#SHARDS[@]}" -gt 0 ] || die "no call directories in $dir"
  BIG="$dir/big.json"
  BIG_PHRASES="$dir/big.json.phrases.txt"
  verify_corpus "$n"

  log "warming the page cache ($n calls)"
  find "${SHARDS[@]}" -type f -print0 | xargs -0 cat >/dev/null

  CORPUS_SHOWN="CORPUS/[0-9][0-9][0-9][0-9]"
  # callsight writes its report atomically (temporary file + rename), which
  # would replace /dev/null itself: -o goes to a scratch file instead.
  CS_OUT="$RUNDIR/callsight-out.json"
  log "timing on $n calls, $REPEAT runs each"
  if [ "$BASELINES_ONLY" -eq 0 ]; then
    record cmd "$n" cs_default_j1 "build-bench/callsight analyze $CORPUS_SHOWN -j 1 -o OUT.json -q"
    measure "$n" cs_default_j1 "$REPEAT" 1 /dev/null "$CS" analyze "${SHARDS[@]}" -j 1 -o "$CS_OUT" -q
    record cmd "$n" cs_default_j2 "build-bench/callsight analyze $CORPUS_SHOWN -j 2 -o OUT.json -q"
    measure "$n" cs_default_j2 "$REPEAT" 1 /dev/null "$CS" analyze "${SHARDS[@]}" -j 2 -o "$CS_OUT" -q
    record cmd "$n" cs_big_j1 "build-bench/callsight analyze $CORPUS_SHOWN -j 1 --taxonomy CORPUS/big.json -o OUT.json -q"
    measure "$n" cs_big_j1 "$REPEAT" 1 /dev/null "$CS" analyze "${SHARDS[@]}" -j 1 --taxonomy "$BIG" -o "$CS_OUT" -q
    record cmd "$n" cs_big_j2 "build-bench/callsight analyze $CORPUS_SHOWN -j 2 --taxonomy CORPUS/big.json -o OUT.json -q"
    measure "$n" cs_big_j2 "$REPEAT" 1 /dev/null "$CS" analyze "${SHARDS[@]}" -j 2 --taxonomy "$BIG" -o "$CS_OUT" -q
    # One untimed run into a real file, kept with the scratch files for a look.
    if "$CS" analyze "${SHARDS[@]}" -j 2 --format json -o "$RUNDIR/callsight-default-$n.json" -q 2>"$RUNDIR/callsight-default-$n.stderr"; then
      :
    else
      warn "callsight analyze on $n calls exited with $? (see $RUNDIR/callsight-default-$n.stderr)"
    fi
  fi

  record cmd "$n" rg_big "rg -c -i -F -f CORPUS/big.json.phrases.txt $CORPUS_SHOWN > /dev/null"
  measure "$n" rg_big "$REPEAT" 1 /dev/null rg -c -i -F -f "$BIG_PHRASES" "${SHARDS[@]}"
  record cmd "$n" rg_big_j1 "rg -j1 -c -i -F -f CORPUS/big.json.phrases.txt $CORPUS_SHOWN > /dev/null"
  measure "$n" rg_big_j1 "$REPEAT" 1 /dev/null rg -j1 -c -i -F -f "$BIG_PHRASES" "${SHARDS[@]}"
  record cmd "$n" rg_planted "rg -c -i -F -f CORPUS/phrases.txt $CORPUS_SHOWN > /dev/null"
  measure "$n" rg_planted "$REPEAT" 1 /dev/null rg -c -i -F -f "$dir/phrases.txt" "${SHARDS[@]}"

  if [ "$RUN_SKLEARN" -eq 1 ]; then
    reps="$SKLEARN_REPEAT"
    if [ -z "$reps" ]; then
      if [ "$n" -le 100000 ]; then reps="$REPEAT"; else reps=1; fi
    fi
    record cmd "$n" sklearn_big "/usr/bin/python3 bench/sklearn_baseline.py --phrases CORPUS/big.json.phrases.txt $CORPUS_SHOWN"
    for ((i = 1; i <= reps; i++)); do
      measure "$n" sklearn_big 1 0 "$RUNDIR/sklearn.out" "$PY" "$ROOT/bench/sklearn_baseline.py" --phrases "$BIG_PHRASES" "${SHARDS[@]}"
      record sklearn "$n" "$i" "$(tail -n 1 "$RUNDIR/sklearn.out")"
    done
  fi
done

# --- (f) start-up -----------------------------------------------------------------
if [ "$BASELINES_ONLY" -eq 0 ] && [ "$MICRO_ONLY" -eq 0 ]; then
  EMPTY="$WORK/empty"
  rm -rf "$EMPTY"
  mkdir -p "$EMPTY"
  if "$CS" analyze "$EMPTY" >/dev/null 2>"$RUNDIR/startup.stderr"; then src=0; else src=$?; fi
  [ "$src" -lt 2 ] || warn "callsight analyze on an empty folder exits with $src; timing it anyway"
  hyperfine_opts=(--warmup 5 --runs 50 --shell=none --style basic --export-json "$RUNDIR/startup.json")
  [ "$src" -eq 0 ] || hyperfine_opts+=(--ignore-failure)
  log "start-up: callsight analyze EMPTY_DIR"
  hyperfine "${hyperfine_opts[@]}" "$CS analyze $EMPTY" >&2 || die "hyperfine failed"
  record startup "$RUNDIR/startup.json" "$src"
fi

# --- (g) micro-benchmarks ----------------------------------------------------------
if [ "$MICRO" -eq 1 ]; then
  micro_args=(--benchmark_repetitions="$REPEAT" --benchmark_display_aggregates_only=true
    --benchmark_out="$RUNDIR/micro.json" --benchmark_out_format=json)
  [ -z "$MICRO_FILTER" ] || micro_args+=(--benchmark_filter="$MICRO_FILTER")
  log "micro-benchmarks: callsight_microbench ${micro_args[*]}"
  env_record micro_load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
  "$MICRO_BIN" "${micro_args[@]}" | tee "$RUNDIR/micro.txt" >&2 ||
    die "callsight_microbench failed (output in $RUNDIR/micro.txt)"
  env_record micro_load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
  record micro "$RUNDIR/micro.json" "build-bench/bench/callsight_microbench ${micro_args[*]/--benchmark_out=*/--benchmark_out=micro.json}"
fi

# --- (h) report -------------------------------------------------------------------
env_record load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
name="${CALLSIGHT_BENCH_NAME:-$(printf '%s-%sc' "$cpu_model" "$cores" | tr '[:upper:]' '[:lower:]' | tr -cs 'a-z0-9' '-' | sed 's/^-//; s/-$//')}"
mkdir -p "$OUT_DIR"
[ "$MICRO_ONLY" -eq 0 ] || name="$name-micro"
base="$OUT_DIR/$(date -u +%Y-%m-%d)-$name"
out="$base"
k=2
while [ -e "$out.md" ] || [ -e "$out.json" ]; do
  out="$base-$k"
  k=$((k + 1))
done
"$PY" "$ROOT/bench/report.py" "$RECORDS" "$out.md" "$out.json" || die "report failed (records in $RECORDS)"
cat "$out.md"
log "wrote $out.md and $out.json (scratch: $RUNDIR)"
