#!/usr/bin/env bash
# End-to-end benchmark, run by CI on every submission (issue #5).
#
# Generates a small data set, starts the real release server on a free port of 127.0.0.1 over
# RocksDB in a temp dir, imports the set, then runs the load generator for a bounded time: unary
# document lookups at a fixed rate (open loop) and at most (closed loop), the default mix,
# batches of 1,000 (LookupDocuments), online upserts, and
# the same document load against an in-process engine over the same data (the reference,
# measured in the same run on the same machine). Writes every run's JSON, a summary JSON and a
# markdown table to the artifact directory.
#
# Fails on errors (a failed request, a rejected import line, a server that dies or does not
# stop cleanly), never on a timing: these machines are noisy. A regression shows as a lower
# ratio against the reference, which the report states.
#
#   bench/e2e.sh                      artifacts in $CI_ARTIFACTS/bench, else target/bench-report
#   E2E_SECONDS=10 E2E_DOCUMENTS=200000 bench/e2e.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/crosscheck/target}"

secs="${E2E_SECONDS:-8}"
documents="${E2E_DOCUMENTS:-200000}"
rate="${E2E_RATE:-5000}"
out="${E2E_OUT:-${CI_ARTIFACTS:+$CI_ARTIFACTS/bench}}"
out="${out:-target/bench-report}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -f "$out"/*.json "$out"/report.md "$out"/server.log

start=$(date +%s)
stamp() { echo "e2e: $* ($(($(date +%s) - start)) s)"; }

if [[ -z "${CROSSCHECK_BIN:-}" ]]; then
    stamp "cargo build --release --bin crosscheck"
    cargo build --release --bin crosscheck
    CROSSCHECK_BIN="$CARGO_TARGET_DIR/release/crosscheck"
fi
# A private copy: the shared target directory may be rebuilt by others during the run.
work="$(mktemp -d "${TMPDIR:-/tmp}/crosscheck-e2e.XXXXXX")"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
cp "$CROSSCHECK_BIN" "$work/crosscheck"
bin="$work/crosscheck"

stamp "gen: 2,000 persons, $documents documents, 10,000 objects"
"$bin" gen --persons 2000 --documents "$documents" --objects 10000 --seed 42 \
    --output "$work/records.ndjson"

serve_flags=(--listen 127.0.0.1:0 --data-dir "$work/data" --ops-listen off)
# Once the server requires client certificates, this is its development mode.
if "$bin" serve --help | grep -q -- '--insecure-dev'; then
    serve_flags+=(--insecure-dev)
fi
: >"$out/server.log"
"$bin" serve "${serve_flags[@]}" 2>"$out/server.log" &
server_pid=$!
addr=""
for _ in $(seq 1 300); do
    addr="$(sed -n 's/^crosscheck: ready on \(127\.0\.0\.1:[0-9]*\)$/\1/p' "$out/server.log" || true)"
    [[ -n "$addr" ]] && break
    kill -0 "$server_pid" 2>/dev/null || { echo "e2e: the server exited before it was ready" >&2; cat "$out/server.log" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$addr" ]] || { echo "e2e: the server was not ready within 30 s" >&2; exit 1; }
server="http://$addr"
stamp "server ready on $addr"

alive() {
    kill -0 "$server_pid" 2>/dev/null || { echo "e2e: the server died ($1)" >&2; tail -20 "$out/server.log" >&2; exit 1; }
}

import_start=$(date +%s.%N)
"$bin" import --server "$server" "$work/records.ndjson" | tee "$out/import.txt"
import_end=$(date +%s.%N)
alive "import"
records=$(wc -l <"$work/records.ndjson")
python3 -c "import json,sys; r=int(sys.argv[1]); s=float(sys.argv[3])-float(sys.argv[2]); json.dump({'records': r, 'seconds': s, 'records_per_s': r/s}, open(sys.argv[4],'w'))" \
    "$records" "$import_start" "$import_end" "$out/import.json"
stamp "imported $records records"

loadgen() {
    local name="$1"
    shift
    stamp "loadgen $name"
    "$bin" loadgen --dataset "$work/records.ndjson" --duration "$secs" --warmup 1 \
        --report "$out/$name.json" "$@" | tee "$out/$name.txt"
}
# The reference first: the same document load, same schedule, answered in this process.
loadgen reference --in-process --mode closed --mix document=1 --concurrency 64
loadgen open --server "$server" --mode open --rate "$rate" --mix document=1 --connections 2 --concurrency 512
alive "open loop"
loadgen closed --server "$server" --mode closed --mix document=1 --connections 2 --concurrency 128
alive "closed loop"
loadgen mix --server "$server" --mode closed --connections 2 --concurrency 64
alive "mix"
loadgen batch --server "$server" --mode closed --mix batch=1 --batch 1000 --connections 2 --concurrency 4
alive "batch"
loadgen upsert --server "$server" --mode closed --mix upsert=1 --connections 2 --concurrency 128
alive "upsert"

stamp "stopping the server"
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
if [[ "$status" -ne 0 ]]; then
    echo "e2e: the server exited with status $status on SIGTERM" >&2
    tail -20 "$out/server.log" >&2
    exit 1
fi

python3 - "$out" "$documents" "$secs" <<'EOF'
import json, os, platform, sys
out, documents, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
runs = {n: json.load(open(os.path.join(out, n + ".json"))) for n in ("reference", "open", "closed", "mix", "batch", "upsert")}
imp = json.load(open(os.path.join(out, "import.json")))
def fig(run, kind="all"):
    return next(f for f in runs[run]["figures"] if f["kind"] == kind)
ref, closed = fig("reference"), fig("closed")
ratio = closed["lookups_per_s"] / ref["lookups_per_s"] if ref["lookups_per_s"] else 0.0
errors = sum(f["errors"] for r in runs.values() for f in r["figures"] if f["kind"] != "all")
summary = {
    "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
    "dataset": {"persons": 2000, "documents": documents, "objects": 10000},
    "seconds_per_run": secs,
    "import": imp,
    "runs": runs,
    "grpc_over_in_process": ratio,
    "errors": errors,
}
json.dump(summary, open(os.path.join(out, "summary.json"), "w"), indent=2)
ms = lambda us: f"{us / 1000:.3f}"
rows = []
for name, label in (("reference", "reference: in-process engine, closed loop, documents"),
                    ("open", f"gRPC open loop, documents at {runs['open']['offered_rate']:.0f}/s"),
                    ("closed", "gRPC closed loop, documents"),
                    ("mix", f"gRPC closed loop, mix {runs['mix']['mix']}"),
                    ("batch", "gRPC closed loop, LookupDocuments of 1,000"),
                    ("upsert", "gRPC closed loop, UpsertRecord (new records, group commit)")):
    f = fig(name)
    l = f["latency_us"]
    rows.append(f"| {label} | {f['requests_per_s']:,.0f} | {f['lookups_per_s']:,.0f} | "
                f"{ms(l['p50'])} | {ms(l['p90'])} | {ms(l['p99'])} | {ms(l['p99_9'])} | {ms(l['max'])} | {f['errors']} |")
md = f"""# End-to-end benchmark

{os.cpu_count()} CPUs, {platform.platform()}; data set 2,000 persons, {documents:,} documents, 10,000 objects
(`crosscheck gen --seed 42`); each run {secs:g} s after 1 s of warm-up; load generator and server share the machine.

Import: {imp['records']:,} records in {imp['seconds']:.2f} s = {imp['records_per_s']:,.0f} records/s.

| run | requests/s | lookups/s (upserts: writes/s) | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

**gRPC closed loop / in-process reference: {ratio:.3f}** (document lookups/s; the same keys, the
same schedule; a drop of this ratio between submissions is a regression of the server path, a
drop of both is the machine). Errors in all runs: {errors}.
"""
open(os.path.join(out, "report.md"), "w").write(md)
print(md)
if errors:
    sys.exit(f"e2e: {errors} requests failed")
EOF
stamp "done: report in $out"
