#!/usr/bin/env bash
# crosscheck side by side with Redis (GET per key) and PostgreSQL (primary-key SELECT), on the
# same document keys, on this machine, in one run (issue #5). Not run by CI: it installs Debian
# packages and takes a few minutes.
#
#   bench/compare.sh                  1,000,000 documents, 15 s per measurement
#   COMPARE_DOCUMENTS=200000 COMPARE_SECONDS=5 bench/compare.sh
#
# The data: `crosscheck gen` documents (with 10,000 persons they link to), each number
# rewritten to `CMP` + its ordinal in 12 digits, so that redis-benchmark (`__rand_int__`, 12
# digits) and pgbench (`random()`) draw the very keys crosscheck holds. Redis stores number ->
# record line (SET); PostgreSQL a table (number text primary key, record text). Every query is
# a hit (the load generator runs with --hit-ratio 1, keys drawn from the records FRA may see;
# Redis and PostgreSQL draw from all keys). Each server runs on 127.0.0.1 from a temp dir, and
# each load comes from its own standard client on the same 2 cores.
#
# Results: markdown table and raw outputs in $COMPARE_OUT (default target/compare-report).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/crosscheck/target}"

documents="${COMPARE_DOCUMENTS:-1000000}"
secs="${COMPARE_SECONDS:-15}"
out="${COMPARE_OUT:-target/compare-report}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

start=$(date +%s)
stamp() { echo "compare: $* ($(($(date +%s) - start)) s)"; }

need=()
command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null || need+=(redis-server redis-tools)
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || need+=(postgresql-15)
command -v pgbench >/dev/null || need+=(postgresql-contrib)
if ((${#need[@]})); then
    stamp "apt-get install ${need[*]}"
    timeout 300 apt-get install -y -q "${need[@]}" || { timeout 120 apt-get update -q && timeout 300 apt-get install -y -q "${need[@]}"; }
fi
pgbin=/usr/lib/postgresql/15/bin

if [[ -z "${CROSSCHECK_BIN:-}" ]]; then
    stamp "cargo build --release --bin crosscheck"
    cargo build --release --bin crosscheck
    CROSSCHECK_BIN="$CARGO_TARGET_DIR/release/crosscheck"
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/crosscheck-compare.XXXXXX")"
chmod 755 "$work"
pids=()
cleanup() {
    for p in "${pids[@]}"; do
        kill -TERM "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
cp "$CROSSCHECK_BIN" "$work/crosscheck"
bin="$work/crosscheck"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

stamp "data: $documents documents, 10,000 persons"
"$bin" gen --persons 10000 --documents "$documents" --objects 0 --seed 42 --output "$work/gen.ndjson"
python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
def resp(*args):
    return "*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(a.encode()), a) for a in args)
n = 0
with open(work + "/gen.ndjson") as src, open(work + "/records.ndjson", "w") as rec, \
        open(work + "/redis.resp", "w", newline="") as red, open(work + "/pg.tsv", "w") as pg:
    for line in src:
        r = json.loads(line)
        if r["kind"] == "document":
            r["number"] = "CMP%012d" % n
            n += 1
        text = json.dumps(r, separators=(",", ":"), ensure_ascii=False)
        rec.write(text + "\n")
        if r["kind"] == "document":
            red.write(resp("SET", r["number"], text))
            pg.write(r["number"] + "\t" + text.replace("\\", "\\\\") + "\n")
EOF

results=()
result() { results+=("$1|$2|$3|$4"); }

# --- Redis -------------------------------------------------------------------------------
redis_port=$(free_port)
stamp "redis-server on 127.0.0.1:$redis_port"
mkdir "$work/redis"
redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$work/redis" --save '' --appendonly no \
    --daemonize no --logfile "$work/redis/log" &
pids+=($!)
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redis_port" --pipe <"$work/redis.resp" | tail -1
redis-cli -p "$redis_port" dbsize
redis_mem=$(redis-cli -p "$redis_port" info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
# Requests for about $secs seconds at the rate a first short run shows.
redis_run() {
    local name="$1"
    shift
    stamp "redis-benchmark $name"
    local probe n
    probe=$(redis-benchmark -p "$redis_port" -r "$documents" -n 100000 --csv "$@" GET 'CMP__rand_int__' | tail -1 | cut -d, -f2 | tr -d '"')
    n=$(python3 -c "print(max(100000, int(float('$probe') * $secs)))")
    redis-benchmark -p "$redis_port" -r "$documents" -n "$n" --csv "$@" GET 'CMP__rand_int__' | tee "$out/redis-$name.csv"
    local row
    row=$(tail -1 "$out/redis-$name.csv" | tr -d '"')
    # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    IFS=, read -r _ rps _ _ p50 _ p99 _ <<<"$row"
    result "Redis GET, redis-benchmark $*" "$rps" "$p50" "$p99"
}
redis_run unary -c 128
redis_run pipelined -c 8 -P 128
redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true

# --- PostgreSQL --------------------------------------------------------------------------
pg_port=$(free_port)
stamp "postgres on 127.0.0.1:$pg_port"
mkdir "$work/pg"
chown postgres "$work/pg" "$work/pg.tsv"
as_pg() { runuser -u postgres -- "$@"; }
as_pg "$pgbin/initdb" -D "$work/pg/data" -A trust -U postgres >/dev/null
as_pg "$pgbin/postgres" -D "$work/pg/data" -k "$work/pg" -p "$pg_port" -c listen_addresses=127.0.0.1 \
    -c shared_buffers=2GB -c fsync=off -c synchronous_commit=off -c max_connections=200 \
    >"$work/pg/log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do as_pg "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.2; done
psql=(psql -h 127.0.0.1 -p "$pg_port" -U postgres -q -v ON_ERROR_STOP=1)
"${psql[@]}" -c "create table docs (number text primary key, record text not null)"
"${psql[@]}" -c "\\copy docs from '$work/pg.tsv'"
"${psql[@]}" -c "vacuum analyze docs"
pg_bytes=$("${psql[@]}" -tA -c "select pg_total_relation_size('docs')")
cat >"$work/select.sql" <<EOF
\\set i random(0, $((documents - 1)))
select record from docs where number = 'CMP' || lpad(:i::text, 12, '0');
EOF
for clients in 16 64; do
    stamp "pgbench, $clients clients"
    pgbench -h 127.0.0.1 -p "$pg_port" -U postgres -n -M prepared -c "$clients" -j 2 -T "$secs" \
        -f "$work/select.sql" postgres | tee "$out/pgbench-$clients.txt"
    tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$out/pgbench-$clients.txt")
    avg=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$out/pgbench-$clients.txt")
    result "PostgreSQL primary-key SELECT, pgbench -M prepared -c $clients -j 2" "$tps" "avg $avg" "–"
done
kill -TERM "${pids[-1]}"
wait "${pids[-1]}" 2>/dev/null || true

# --- crosscheck --------------------------------------------------------------------------
stamp "crosscheck serve"
: >"$work/serve.log"
"$bin" serve --listen 127.0.0.1:0 --data-dir "$work/cc" --ops-listen off $("$bin" serve --help | grep -q -- --insecure-dev && echo --insecure-dev) 2>"$work/serve.log" &
pids+=($!)
addr=""
for _ in $(seq 600); do
    addr="$(sed -n 's/^crosscheck: ready on \(127\.0\.0\.1:[0-9]*\)$/\1/p' "$work/serve.log" || true)"
    [[ -n "$addr" ]] && break
    sleep 0.1
done
[[ -n "$addr" ]] || { echo "compare: crosscheck did not start" >&2; cat "$work/serve.log" >&2; exit 1; }
"$bin" import --server "http://$addr" "$work/records.ndjson"
cc_rss=$(awk '/VmRSS/ {print $2 * 1024}' "/proc/${pids[-1]}/status")
cc_run() {
    local name="$1"
    shift
    stamp "crosscheck loadgen $name"
    "$bin" loadgen --server "http://$addr" --dataset "$work/records.ndjson" --hit-ratio 1 \
        --duration "$secs" --warmup 2 --report "$out/crosscheck-$name.json" "$@" | tee "$out/crosscheck-$name.txt"
    read -r lps p50 p99 < <(python3 -c "
import json; r = json.load(open('$out/crosscheck-$name.json'))
f = [f for f in r['figures'] if f['kind'] == 'all'][0]; l = f['latency_us']
print(f['lookups_per_s'], l['p50'] / 1000, l['p99'] / 1000)")
    result "crosscheck $name, loadgen $*" "$lps" "$p50" "$p99"
}
cc_run unary --mode closed --mix document=1 --connections 2 --concurrency 128
cc_run batch --mode closed --mix batch=1 --batch 1000 --connections 2 --concurrency 4
cc_run screen --mode closed --mix screen=1 --batch 1000 --connections 2 --concurrency 8

{
    echo "# crosscheck, Redis and PostgreSQL: document lookups by key"
    echo
    echo "$(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $documents documents; $secs s per run; $(date -u +%F)."
    echo "Redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}')."
    echo
    echo "| system and load | lookups/s | p50 ms | p99 ms |"
    echo "|---|---|---|---|"
    for r in "${results[@]}"; do
        IFS='|' read -r what rps p50 p99 <<<"$r"
        printf '| %s | %.0f | %s | %s |\n' "$what" "$rps" "$p50" "$p99"
    done
    echo
    echo "Memory: Redis used_memory $((redis_mem / 1048576)) MiB; PostgreSQL table + index $((pg_bytes / 1048576)) MiB on disk; crosscheck server RSS $((cc_rss / 1048576)) MiB after import."
} | tee "$out/report.md"
stamp "done: $out/report.md"
