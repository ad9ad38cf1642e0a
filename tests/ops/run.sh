#!/usr/bin/env bash
# The deploy files and the ops endpoint against the real tools: promtool on the Prometheus
# config and alert rules (with their unit tests), the Kubernetes schemas, the Grafana dashboard
# model, hadolint; then a live crosscheck scraped by a live Prometheus through a burst of
# lookups, and the status page in headless Chromium. `./dev test` runs it after cargo test.
#
#   tests/ops/run.sh        OPS_KEEP=1 keeps the temp dir (logs, screenshot) and prints it;
#                           CROSSCHECK_BIN=PATH tests that binary instead of building one
#
# What is missing is installed: Debian's prometheus and chromium (apt-get), and the Python tools
# of requirements.txt into a venv under ~/.cache/crosscheck. A part whose tool cannot be
# installed is skipped, saying why. Everything listens on 127.0.0.1 only, lives in a temp dir,
# and is stopped on exit; each wait is bounded.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
deploy=$root/deploy
target=${CARGO_TARGET_DIR:-$HOME/.cache/crosscheck/target}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/crosscheck
venv=$cache/ops-venv
tmp=$(mktemp -d -t crosscheck-ops.XXXXXX)
pids=()
passed=0 failed=0 skipped=0
started=$SECONDS

cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if mountpoint -q "$tmp/full" 2>/dev/null; then umount "$tmp/full" || true; fi
  if [ "${OPS_KEEP:-}" = 1 ] || [ "$failed" -gt 0 ] || [ "$skipped" -gt 0 ]; then
    echo "ops: logs and screenshot kept in $tmp"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

say() { echo "ops: $*"; }

# check NAME COMMAND...: runs one check, counts it, shows its last lines (all of them on failure).
check() {
  local name=$1 t0=$SECONDS
  shift
  if "$@" >"$tmp/check.log" 2>&1; then
    passed=$((passed + 1))
    say "ok    $name ($((SECONDS - t0)) s)"
    { grep -v '^$' "$tmp/check.log" || true; } | tail -n 8 | sed 's/^/        /'
  else
    failed=$((failed + 1))
    say "FAIL  $name ($((SECONDS - t0)) s)"
    tail -n 40 "$tmp/check.log" | sed 's/^/        /'
  fi
}

skip() {
  skipped=$((skipped + 1))
  say "skip  $1: $2"
}

apt_updated=""
# apt_install PACKAGE...: installs Debian packages, as root or through passwordless sudo.
apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  say "installing $* (Debian)"
  if [ -z "$apt_updated" ]; then
    $sudo apt-get update -qq >>"$tmp/apt.log" 2>&1 || return 1
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >>"$tmp/apt.log" 2>&1
}

# tool COMMAND PACKAGE: true when COMMAND is there or could be installed from PACKAGE.
tool() {
  command -v "$1" >/dev/null 2>&1 || apt_install "$2" || true
  command -v "$1" >/dev/null 2>&1
}

# The Python tools, in a venv that is rebuilt when requirements.txt changes.
python_tools() {
  if ! cmp -s "$here/requirements.txt" "$venv/requirements.txt" 2>/dev/null; then
    say "installing the Python tools of tests/ops/requirements.txt into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" >>"$tmp/pip.log" 2>&1 &&
      "$venv/bin/pip" install -q -r "$here/requirements.txt" >>"$tmp/pip.log" 2>&1 &&
      cp "$here/requirements.txt" "$venv/requirements.txt" || return 1
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_http URL SECONDS: until URL answers 200.
wait_http() {
  local deadline=$((SECONDS + $2))
  until curl -sf -o /dev/null "$1"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

# unary < LINES: one LookupDocument call per `country<TAB>body` line (errors are expected: some
# lines are meant to be rejected).
unary() {
  local country body
  while IFS=$'\t' read -r country body; do
    "$venv/bin/grpcurl" -plaintext -H "crosscheck-country: $country" -d "$body" "127.0.0.1:$grpc" \
      crosscheck.v1.Crosscheck/LookupDocument >/dev/null 2>&1 || true
  done
}

# The status page after its script fetched and drew (virtual time lets it run before the DOM
# is dumped), and a screenshot of it. Root needs --no-sandbox.
status_page() {
  local chrome=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars
    --user-data-dir="$tmp/chromium" --window-size=1400,1000 --virtual-time-budget=5000)
  # `set -e` does not apply inside a check's condition: each step says when it failed.
  "${chrome[@]}" --dump-dom "$ops_url/" >"$tmp/status.html" 2>"$tmp/chromium.log" || return 1
  "${chrome[@]}" --screenshot="$tmp/status.png" "$ops_url/" >>"$tmp/chromium.log" 2>&1 || return 1
  test -s "$tmp/status.png" || return 1
  echo "  screenshot: $tmp/status.png ($(stat -c %s "$tmp/status.png") bytes)"
  "$py" "$here/checks.py" page "$tmp/status.html"
}

# --- tools ---------------------------------------------------------------------------------
has_prometheus=1 has_chromium=1 has_python=1
tool promtool prometheus || has_prometheus=""
tool chromium chromium || has_chromium=""
python_tools || has_python=""
py=$venv/bin/python
say "tools ready ($((SECONDS - started)) s)"

# --- the deploy files, statically ---------------------------------------------------------
if [ -n "$has_prometheus" ]; then
  check "promtool check config deploy/prometheus/prometheus.yml" promtool check config "$deploy/prometheus/prometheus.yml"
  check "promtool check rules deploy/prometheus/alerts.yml" promtool check rules "$deploy/prometheus/alerts.yml"
  check "promtool test rules deploy/prometheus/alerts_test.yml" promtool test rules "$deploy/prometheus/alerts_test.yml"
else
  skip "promtool" "Debian's prometheus package could not be installed (see $tmp/apt.log)"
fi
if [ -n "$has_python" ]; then
  check "Kubernetes schemas (kubernetes-validate --strict) deploy/k8s" \
    "$venv/bin/kubernetes-validate" --strict "$deploy"/k8s/*.yaml
  check "hadolint deploy/Dockerfile" "$venv/bin/hadolint" "$deploy/Dockerfile"
  check "compose.yaml against the files and ports it names" "$py" "$here/checks.py" compose "$deploy"
else
  skip "Kubernetes schemas, hadolint, compose" "the Python tools could not be installed (see $tmp/pip.log)"
fi

crosscheck_bin() {
  bin=${CROSSCHECK_BIN:-}
  if [ -z "$bin" ]; then
    (cd "$root" && cargo build --release --quiet --bin crosscheck)
    bin=$target/release/crosscheck
  fi
}

# full_disk: a server whose data directory fills up refuses what it cannot write, and answers
# no lookup it cannot account for (UNAVAILABLE, the cause named); once space is freed and it
# restarts, every acknowledged record is there and the audit trail verifies.
full_disk() {
  local dir=$tmp/full port url q stored
  port=$(free_port)
  url=http://127.0.0.1:$port
  "$bin" gen --persons 100 --documents 2000 --objects 100 --seed 3 --output "$tmp/small.ndjson"
  printf '%s\n' '{"qid":"q1","as":"FRA","type":"document","number":"C01X00T47"}' >"$tmp/q.ndjson"
  serve_full() {
    "$bin" serve --insecure-dev --listen "127.0.0.1:$port" --ops-listen off --data-dir "$dir/db" \
      >>"$tmp/full.log" 2>&1 &
    pids+=($!)
    local deadline=$((SECONDS + 30))
    until "$bin" screen --server "$url" --input "$tmp/q.ndjson" --output /dev/null 2>/dev/null; do
      [ $SECONDS -lt $deadline ] || return 1
      sleep 0.2
    done
  }
  serve_full || return 1
  "$bin" import --server "$url" "$tmp/small.ndjson" || return 1
  dd if=/dev/zero of="$dir/filler" bs=1M count=100 2>/dev/null || true
  # The WAL has space set aside: write until the disk refuses.
  local refused=""
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    if ! "$bin" import --server "$url" "$tmp/small.ndjson" 2>"$tmp/refused.log"; then
      refused=1
      break
    fi
  done
  [ -n "$refused" ] || { echo "writes never failed on a full disk"; return 1; }
  grep -q "No space left on device" "$tmp/refused.log" || { cat "$tmp/refused.log"; return 1; }
  q=$("$bin" screen --server "$url" --input "$tmp/q.ndjson" --output -)
  case $q in *'"error":"unavailable: '*) ;; *) echo "lookup on a full disk: $q"; return 1 ;; esac
  kill "${pids[-1]}"
  wait "${pids[-1]}" 2>/dev/null || true
  rm -f "$dir/filler"
  serve_full || return 1
  stored=$("$bin" export --server "$url" | wc -l)
  [ "$stored" = 2200 ] || { echo "after the restart: $stored records, expected 2200"; return 1; }
  "$bin" audit verify --server "$url" || return 1
  echo "writes refused on the full disk; after freeing space and a restart: $stored records, trail intact"
}

if [ "$(id -u)" = 0 ] && mkdir -p "$tmp/full" && mount -t tmpfs -o size=64m tmpfs "$tmp/full" 2>/dev/null; then
  crosscheck_bin
  check "full disk: writes refused with the cause, no lookup unaccounted, nothing lost" full_disk
else
  skip "full disk" "needs root to mount a small tmpfs"
fi

# --- a live crosscheck, scraped by a live Prometheus, shown by the status page --------------
live() {
  crosscheck_bin
  grpc=$(free_port)
  ops=$(free_port)
  ops_url=http://127.0.0.1:$ops
  "$bin" gen --persons 1000 --documents 1000 --objects 1000 --seed 7 --output "$tmp/records.ndjson"
  "$bin" serve --insecure-dev --data-dir "$tmp/data" --listen "127.0.0.1:$grpc" --ops-listen "127.0.0.1:$ops" \
    >"$tmp/crosscheck.log" 2>&1 &
  pids+=($!)
  if ! wait_http "$ops_url/readyz" 60; then
    failed=$((failed + 1))
    say "FAIL  crosscheck did not become ready"
    tail -n 20 "$tmp/crosscheck.log"
    exit 1
  fi
  "$bin" import --server "http://127.0.0.1:$grpc" "$tmp/records.ndjson" >"$tmp/import.log" 2>&1

  if [ -n "$has_prometheus" ]; then
    prom=$(free_port)
    prom_url=http://127.0.0.1:$prom
    # The deploy alert rules, evaluated every second on a 1 s scrape of the test server.
    cat >"$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $deploy/prometheus/alerts.yml
scrape_configs:
  - job_name: crosscheck
    static_configs:
      - targets: ["127.0.0.1:$ops"]
EOF
    prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/prometheus" \
      --web.listen-address="127.0.0.1:$prom" --log.level=warn >"$tmp/prometheus.log" 2>&1 &
    pids+=($!)
    wait_http "$prom_url/-/ready" 30 || say "prometheus not ready: $(tail -n 5 "$tmp/prometheus.log")"
  fi

  # The burst: a warm-up so that every series exists before Prometheus sees it grow (a rate
  # needs two samples of a series), then rounds of screening and one-answer lookups.
  "$py" "$here/checks.py" queries "$tmp/records.ndjson" "$tmp"
  head -n 3 "$tmp/unary.tsv" | unary
  tail -n 1 "$tmp/unary.tsv" | unary
  head -n 50 "$tmp/screen.ndjson" >"$tmp/warmup.ndjson"
  "$bin" screen --server "http://127.0.0.1:$grpc" --input "$tmp/warmup.ndjson" --output /dev/null
  sleep 3
  t0=$SECONDS
  for round in 1 2 3; do
    # One-answer lookups alongside the screening streams, as border posts and batch jobs do.
    unary <"$tmp/unary.tsv" &
    calls=$!
    "$bin" screen --server "http://127.0.0.1:$grpc" --input "$tmp/screen.ndjson" --output "$tmp/results.$round.ndjson"
    wait "$calls"
  done
  say "burst: 3 x $(wc -l <"$tmp/screen.ndjson") screening lines and $(wc -l <"$tmp/unary.tsv") unary calls in $((SECONDS - t0)) s"

  # Labelled series exist once something was counted: the names are checked after the burst.
  curl -sf "$ops_url/metrics" >"$tmp/metrics.txt"
  check "Grafana dashboard model, metrics exported" \
    "$py" "$here/checks.py" dashboard "$deploy/grafana/dashboards/crosscheck.json" "$tmp/metrics.txt"
  check "alert rules name exported metrics" "$py" "$here/checks.py" rules "$deploy/prometheus/alerts.yml" "$tmp/metrics.txt"
  check "probe and healthcheck paths answer" "$py" "$here/checks.py" probes "$deploy" "$ops_url"

  if [ -n "$has_prometheus" ]; then
    check "Prometheus scraped the burst: rates, quantiles, alert rules, dashboard queries" \
      "$py" "$here/checks.py" prometheus "$prom_url" "$deploy/prometheus/alerts.yml" \
      "$deploy/grafana/dashboards/crosscheck.json"
  else
    skip "live Prometheus" "Debian's prometheus package could not be installed"
  fi

  if [ -n "$has_chromium" ]; then
    check "status page in headless Chromium: charts show data" status_page
  else
    skip "status page" "Debian's chromium package could not be installed (see $tmp/apt.log)"
  fi
}

if [ -n "$has_python" ]; then
  live
else
  skip "live checks" "the Python tools could not be installed (see $tmp/pip.log)"
fi

say "$((SECONDS - started)) s in all"
echo "ops: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
