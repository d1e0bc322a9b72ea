# Shared by scripts/bench-server and scripts/load (sourced, not run): the load tool, a throw-away
# store, the release server on 127.0.0.1, signing in, one oha measurement as JSON, the machine's
# load. Expects `set -euo pipefail`, the repository as the working directory, and
# $tmp (a private temporary directory that the caller removes).

target="${CARGO_TARGET_DIR:-target}"
tools="$HOME/.cache/gongkai-tools"
oha="$tools/bin/oha"
server=""
backend_url=""

# oha (crates.io), installed once under ~/.cache/gongkai-tools.
ensure_oha() {
  if [[ ! -x "$oha" ]]; then
    cargo install --locked --root "$tools" oha
  fi
}

# start_backend sqlite|postgres: sets `store` (the serve arguments) and `target_store` (what the
# seeding examples take). PostgreSQL: a throw-away cluster under $tmp/pg, stopped by stop_all.
start_backend() {
  backend="$1"
  case "$backend" in
    sqlite) store=(--data "$tmp/data"); target_store="$tmp/data" ;;
    postgres)
      chmod 755 "$tmp" # the cluster runs as the postgres user, who must reach $tmp/pg
      backend_url="$(scripts/postgres start "$tmp/pg" | tail -1)"
      store=(--db "$backend_url"); target_store="$backend_url" ;;
    *) echo "backend: sqlite or postgres" >&2; exit 2 ;;
  esac
}

# Starts `gongkai serve` (release) on a free port of 127.0.0.1; sets `server` (its pid) and `base`.
start_server() {
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  base="http://127.0.0.1:$port"
  RUST_LOG=warn "$target/release/gongkai" serve "${store[@]}" --listen "127.0.0.1:$port" \
    >"$tmp/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 150); do
    curl -sf "$base/healthz" >/dev/null && break
    sleep 0.2
  done
  curl -sf "$base/healthz" >/dev/null || { cat "$tmp/serve.log"; exit 1; }
}

# The server, then the cluster: for `trap stop_all EXIT`.
stop_all() {
  if [[ -n "$server" ]]; then
    kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  fi
  if [[ "${backend:-}" == postgres ]]; then
    scripts/postgres stop "$tmp/pg" >/dev/null 2>&1 || true
  fi
}

# sign_in USER PASSWORD JAR: a browser session of USER in cookie jar JAR; prints the session's
# CSRF token (read from the dashboard's forms).
sign_in() {
  local user="$1" password="$2" jar="$3"
  curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$password\"}" "$base/api/v1/login" >/dev/null
  curl -sfL -b "$jar" "$base/" |
    python3 -c 'import re,sys; print(re.search(r"name=\"csrf\" value=\"([^\"]+)\"", sys.stdin.read()).group(1))'
}

# The machine's load, one line (this machine is shared: every figure says what else ran).
machine_load() {
  local cpu
  cpu="$(head -1 /proc/pressure/cpu 2>/dev/null || echo 'no PSI')"
  echo "   machine: $(uptime | sed 's/.*load average/load average/'); cpu pressure: $cpu"
}

# oha_json OUT RATE DURATION URL_OR_FILE [oha args…]: one fixed-rate oha run (open loop, with
# latency correction: a late request counts from when it was due), its JSON in OUT.
oha_json() {
  local out="$1" q="$2" duration="$3" url="$4"; shift 4
  "$oha" --no-tui --output-format json -z "$duration" -q "$q" --latency-correction \
    -c "${CONNECTIONS:-32}" "$@" "$url" >"$out"
}

# summary LABEL OUT: one line of an oha JSON result (rate, p50, p99, status codes, errors).
summary() {
  python3 - "$1" "$2" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
r = json.load(open(path))
p = r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
errors = r.get("errorDistribution", {})
ms = lambda v: (v or 0) * 1000
print(f"{label:<46} {r['summary']['requestsPerSec']:8.1f} req/s  p50 {ms(p['p50']):7.2f} ms  p99 {ms(p['p99']):7.2f} ms  codes {codes} errors {errors}")
PY
}
