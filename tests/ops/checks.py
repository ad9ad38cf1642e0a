"""Checks of the deploy files and of a running crosscheck for tests/ops/run.sh.

Each subcommand prints what it checked and exits non-zero with the reasons on failure:

  dashboard DASHBOARD.json METRICS.txt   the dashboard as a Grafana dashboard model
  rules ALERTS.yml METRICS.txt           the alert rules name metrics that crosscheck exports
  prometheus URL ALERTS.yml DASHBOARD.json
                                         a live Prometheus that scraped a burst of lookups
  page DOM.html                          the status page after its script ran in Chromium
  compose DEPLOY_DIR                     compose.yaml against the files and ports it refers to
  probes DEPLOY_DIR OPS_URL              the probe paths of the manifests answer 200 on a live server
  queries RECORDS.ndjson DIR             a burst of lookups from generated records: DIR/screen.ndjson
                                         for `crosscheck screen`, DIR/unary.tsv (country, body) for grpcurl
"""

import json
import os
import re
import sys
import time
import urllib.parse
import urllib.request

import yaml

# Metrics that come from elsewhere: Prometheus itself, node_exporter, the kubelet.
FOREIGN = re.compile(r"^(up|node_.*|kubelet_.*)$")
# PromQL keywords, which look like metric names.
PROMQL_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset"}
LOOKUP_METHODS = "LookupDocument|SearchPersons|LookupObject|ScreenTraveller"
SERVER_ERRORS = 'code=~"unknown|deadline_exceeded|internal|unavailable|data_loss"'


class Failures:
    def __init__(self, what):
        self.what, self.errors = what, []

    def check(self, ok, message):
        if not ok:
            self.errors.append(message)
        return ok

    def done(self, summary):
        if self.errors:
            for e in self.errors:
                print(f"  {self.what}: {e}", file=sys.stderr)
            sys.exit(1)
        print(f"  {self.what}: {summary}")


def exported_names(metrics_text):
    """Metric names in a text exposition, with the _bucket/_sum/_count series of histograms."""
    names = set()
    for line in metrics_text.splitlines():
        if line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return names


def metric_names(expr):
    """Identifiers in a PromQL expression that name metrics: not functions, labels or keywords."""
    # Label matchers, strings, ranges and grouping label lists hold no metric names.
    bare = re.sub(r"\{[^}]*\}|\"[^\"]*\"|\[[^\]]*\]", " ", expr)
    bare = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", bare)
    names = set()
    for m in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", bare):
        function = bare[m.end():].lstrip().startswith("(")
        if not function and m.group() not in PROMQL_KEYWORDS:
            names.add(m.group())
    return names


def unknown_metrics(expr, exported):
    return sorted(n for n in metric_names(expr) if not FOREIGN.match(n) and n not in exported)


def grafana_round_trip(dashboard):
    """Keys that the Grafana dashboard model (grafana-foundation-sdk) does not know: whatever
    is lost by decoding the JSON into the typed model and encoding it back."""
    from grafana_foundation_sdk.cog.encoder import JSONEncoder
    from grafana_foundation_sdk.cog.plugins import register_default_plugins
    from grafana_foundation_sdk.models.dashboard import Dashboard

    register_default_plugins()
    model = Dashboard.from_json(dashboard)
    back = json.loads(json.dumps(model, cls=JSONEncoder))

    def lost(a, b, path):
        if isinstance(a, dict):
            if not isinstance(b, dict):
                yield path
                return
            for k, v in a.items():
                yield from (f"{path}.{k}",) if k not in b else lost(v, b[k], f"{path}.{k}")
        elif isinstance(a, list):
            if not isinstance(b, list) or len(a) != len(b):
                yield path
                return
            for i, (x, y) in enumerate(zip(a, b)):
                yield from lost(x, y, f"{path}[{i}]")
        elif a != b:
            yield f"{path} ({a!r} became {b!r})"

    return model, list(lost(dashboard, back, ""))


def dashboard(path, metrics_path):
    f = Failures("dashboard")
    d = json.load(open(path))
    exported = exported_names(open(metrics_path).read())
    for key, kind in [("uid", str), ("title", str), ("schemaVersion", int), ("panels", list),
                      ("templating", dict), ("time", dict), ("refresh", str)]:
        f.check(isinstance(d.get(key), kind), f"`{key}` missing or not {kind.__name__}")
    f.check(0 < len(d.get("uid", "")) <= 40, "uid must have 1 to 40 characters")
    model, lost = grafana_round_trip(d)
    f.check(not lost, f"fields unknown to the Grafana dashboard model: {lost}")
    variables = {v["name"] for v in d["templating"]["list"]}
    ids, targets = set(), 0
    for panel, typed in zip(d["panels"], model.panels):
        name = f"panel {panel.get('id')} `{panel.get('title')}`"
        f.check(isinstance(panel.get("id"), int) and panel["id"] not in ids, f"{name}: id missing or not unique")
        ids.add(panel.get("id"))
        g = panel.get("gridPos", {})
        f.check(all(isinstance(g.get(k), int) for k in "hwxy") and g["x"] + g["w"] <= 24,
                f"{name}: gridPos must be integers within 24 columns")
        if panel["type"] == "row":
            continue
        from grafana_foundation_sdk.cog import runtime
        f.check(runtime.panelcfg_config(panel["type"]) is not None, f"{name}: unknown panel type {panel['type']}")
        refs = [t.get("refId") for t in panel.get("targets", [])]
        f.check(refs and len(set(refs)) == len(refs), f"{name}: targets need unique refIds")
        for t, typed_target in zip(panel.get("targets", []), typed.targets or []):
            targets += 1
            f.check(type(typed_target).__module__.endswith(".prometheus"),
                    f"{name}: target {t.get('refId')} is not a Prometheus query")
            f.check(t.get("datasource", {}).get("uid") == "${datasource}",
                    f"{name}: target {t.get('refId')} must use the datasource variable")
            for var in re.findall(r"\$(\w+)", t["expr"]):
                f.check(var.startswith("__") or var in variables, f"{name}: unknown variable ${var}")
            missing = unknown_metrics(t["expr"], exported)
            f.check(not missing, f"{name}: metrics crosscheck does not export: {missing}")
    f.done(f"{len(d['panels'])} panels, {targets} queries, model round trip lossless, every metric exported")


def alert_rules(path):
    return [r for g in yaml.safe_load(open(path))["groups"] for r in g["rules"]]


def rules(path, metrics_path):
    f = Failures("alert rules")
    exported = exported_names(open(metrics_path).read())
    checked = alert_rules(path)
    for rule in checked:
        missing = unknown_metrics(rule["expr"], exported)
        f.check(not missing, f"{rule['alert']}: metrics crosscheck does not export: {missing}")
    f.done(f"{len(checked)} rules name only exported metrics")


def query(url, expr):
    """An instant query; the result vector, or an exception naming Prometheus' error."""
    full = f"{url}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(full, timeout=10) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        body = json.load(e)
    if body.get("status") != "success":
        raise ValueError(f"{expr}: {body.get('errorType')}: {body.get('error')}")
    return body["data"]["result"]


def numbers(result):
    return [float(s["value"][1]) for s in result]


def prometheus(url, alerts_path, dashboard_path):
    f = Failures("prometheus")
    # Rates need two scrapes of the burst; the scrape interval of the test is 1 s.
    wanted = {
        "request rate": 'sum(rate(crosscheck_grpc_requests_total{job="crosscheck"}[1m]))',
        "lookup rate": 'sum(rate(crosscheck_lookups_total{job="crosscheck"}[1m]))',
        "hit rate": 'sum(rate(crosscheck_hits_total{job="crosscheck"}[1m]))',
        "p99 of every call": 'histogram_quantile(0.99, sum by (le) (rate(crosscheck_grpc_request_duration_seconds_bucket{job="crosscheck"}[1m])))',
        "p99 of lookups": f'histogram_quantile(0.99, sum by (le) (rate(crosscheck_grpc_request_duration_seconds_bucket{{job="crosscheck",method=~"{LOOKUP_METHODS}"}}[1m])))',
        "rejected requests": 'sum(rate(crosscheck_grpc_requests_total{job="crosscheck",code="invalid_argument"}[1m]))',
    }
    seen = {}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        seen = {k: numbers(query(url, e)) for k, e in wanted.items()}
        if all(v and v[0] > 0 for v in seen.values()):
            break
        time.sleep(1)
    for k, v in seen.items():
        f.check(v and v[0] > 0, f"{k}: no data ({wanted[k]} gave {v})")
    for k, v in seen.items():
        print(f"    {k}: {v[0]:.6g}" if v else f"    {k}: none")
    p99 = seen.get("p99 of lookups") or [0]
    f.check(0 < p99[0] <= 1, f"p99 of lookups {p99[0]} s is not a latency of these buckets")

    # Every alert expression evaluates on live data, and none fires on a healthy server.
    rules = alert_rules(alerts_path)
    for rule in rules:
        try:
            firing = query(url, rule["expr"])
            f.check(not firing, f"{rule['alert']} fires on a healthy server: {firing}")
        except ValueError as e:
            f.check(False, f"{rule['alert']}: {e}")
    with urllib.request.urlopen(f"{url}/api/v1/rules", timeout=10) as r:
        groups = json.load(r)["data"]["groups"]
    loaded = [rule for g in groups for rule in g["rules"]]
    f.check(len(loaded) == len(rules), f"Prometheus loaded {len(loaded)} of {len(rules)} rules")
    for rule in loaded:
        f.check(rule.get("health") == "ok", f"{rule['name']}: health {rule.get('health')} {rule.get('lastError')}")

    # Every dashboard query evaluates, as Grafana would send it, and has data, but for those of
    # server errors, which a healthy server has none of.
    d = json.load(open(dashboard_path))
    exprs = [t["expr"] for p in d["panels"] for t in p.get("targets", [])]
    with_data = 0
    for expr in exprs:
        live = expr.replace("$__rate_interval", "1m").replace("$instance", ".*")
        try:
            data = bool(query(url, live))
        except ValueError as e:
            f.check(False, f"dashboard query: {e}")
            continue
        with_data += data
        f.check(data or SERVER_ERRORS in expr, f"dashboard query without data: {live}")
    f.done(f"rates and quantiles have data; {len(rules)} alert rules evaluate, loaded and healthy, none firing; "
           f"{with_data}/{len(exprs)} dashboard queries with data")


def page(dom_path):
    f = Failures("status page")
    dom = open(dom_path).read()
    charts = {}
    for m in re.finditer(r'<canvas id="(\w+)"([^>]*)>', dom):
        attrs = dict(re.findall(r'data-(\w+)="([^"]*)"', m.group(2)))
        charts[m.group(1)] = (int(attrs.get("points", 0)), float(attrs.get("max", 0)))
    f.check(set(charts) == {"throughput", "latency", "hits", "errors"}, f"charts found: {sorted(charts)}")
    for name in ("throughput", "latency", "hits"):
        points, peak = charts.get(name, (0, 0))
        f.check(points > 0 and peak > 0, f"chart {name} shows no data (points {points}, max {peak})")
    f.check('id="state" class="">ready' in dom, "the page does not say the server is ready")
    f.done("charts plotted: " + ", ".join(f"{k} {p} points (max {m:.4g})" for k, (p, m) in charts.items()))


def compose(deploy_dir):
    f = Failures("compose")
    c = yaml.safe_load(open(f"{deploy_dir}/compose.yaml"))
    services = c.get("services", {})
    f.check({"crosscheck", "prometheus", "grafana"} <= set(services), f"services: {sorted(services)}")
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                f.check(os.path.exists(os.path.join(deploy_dir, source)), f"{name}: {source} does not exist")
            else:
                f.check(source in (c.get("volumes") or {}), f"{name}: volume {source} is not declared")
    build = services["crosscheck"]["build"]
    context = os.path.join(deploy_dir, build["context"])
    f.check(os.path.exists(os.path.join(context, build["dockerfile"])), "the crosscheck build has no Dockerfile")
    command = services["crosscheck"]["command"]
    listens = {a.split("=")[0]: a.split("=")[1] for a in command if "=" in a}
    for flag in ("--listen", "--ops-listen"):
        f.check(listens.get(flag, "").startswith("0.0.0.0:"), f"crosscheck {flag} must listen on 0.0.0.0")
    ops_port = listens.get("--ops-listen", ":").split(":")[1]
    prom = yaml.safe_load(open(f"{deploy_dir}/prometheus/prometheus.yml"))
    targets = [t for job in prom["scrape_configs"] for sc in job["static_configs"] for t in sc["targets"]]
    f.check(f"crosscheck:{ops_port}" in targets, f"Prometheus scrapes {targets}, not crosscheck:{ops_port}")
    sources = yaml.safe_load(open(f"{deploy_dir}/grafana/provisioning/datasources/prometheus.yaml"))
    f.check(sources["datasources"][0]["url"] == "http://prometheus:9090", "Grafana's datasource is not the prometheus service")
    provider = yaml.safe_load(open(f"{deploy_dir}/grafana/provisioning/dashboards/crosscheck.yaml"))
    mounted = [v.split(":")[1] for v in services["grafana"]["volumes"]]
    f.check(provider["providers"][0]["options"]["path"] in mounted, "Grafana's dashboard path is not mounted")
    f.done(f"{len(services)} services; mounts, ports, scrape target and provisioning agree")


def probes(deploy_dir, ops_url):
    f = Failures("probes")
    paths = set()
    for doc in yaml.safe_load_all(open(f"{deploy_dir}/k8s/statefulset.yaml")):
        for container in doc["spec"]["template"]["spec"]["containers"]:
            args = container["args"]
            f.check("--listen=0.0.0.0:50051" in args and "--ops-listen=0.0.0.0:9051" in args,
                    "the container must listen on 0.0.0.0")
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                paths.add(container[probe]["httpGet"]["path"])
    health = yaml.safe_load(open(f"{deploy_dir}/compose.yaml"))["services"]["crosscheck"]["healthcheck"]
    paths.update(re.findall(r"GET (\S+) ", health["test"][-1]))
    for path in sorted(paths):
        with urllib.request.urlopen(ops_url + path, timeout=5) as r:
            f.check(r.status == 200, f"{path}: HTTP {r.status}")
    f.done(f"{', '.join(sorted(paths))} answer 200")


def queries(records_path, out_dir):
    """Every record looked up by its owner (who always sees it), and every 50th line bad."""
    records = [json.loads(line) for line in open(records_path)]
    screen, unary = [], []
    for i, r in enumerate(records):
        q = {"qid": str(i), "as": r["owner"]}
        if i % 50 == 0:
            q.update(type="document", number="!")
        elif r["kind"] == "document":
            q.update(type="document", number=r["number"])
            if len(unary) < 25:
                unary.append(f"{r['owner']}\t" + json.dumps({"number": r["number"]}))
        elif r["kind"] == "person":
            n = r["names"][0]
            q.update(type="person", name=n.get("full") or f"{n.get('given', '')} {n['family']}".strip())
        else:
            field, value = next(iter(r["identifiers"].items()))
            q.update(type="object", object_type=r["object_type"], field=field, identifier=value)
        screen.append(json.dumps(q, ensure_ascii=False))
    # Rejected calls: a bad number is invalid_argument.
    unary += ["FRA\t" + json.dumps({"number": "!"})] * 5
    open(f"{out_dir}/screen.ndjson", "w").write("\n".join(screen) + "\n")
    open(f"{out_dir}/unary.tsv", "w").write("\n".join(unary) + "\n")
    print(f"  queries: {len(screen)} screening lines, {len(unary)} unary calls")


if __name__ == "__main__":
    commands = {
        "dashboard": dashboard, "rules": rules, "prometheus": prometheus, "page": page,
        "compose": compose, "probes": probes, "queries": queries,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
