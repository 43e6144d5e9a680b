#!/usr/bin/env bash
# Load test of the HTTP API (issue: p99 <= 20 ms for series queries at 200 concurrent
# connections on loopback, no errors).
#
# Builds a store of synthetic events with dyad-store's benchmark generator (ten years,
# 2010-2019; built once and reused while the file exists), starts `dyad serve` on it, runs
# wrk with CONNS connections for DURATION against the series route of the 100 busiest
# dyads, prints one `loadtest:` line with p50/p99 and errors, and stops the server.
#
# MIX=dashboard (default): each dyad by month and by week over all ten years, and by day
#   over one year (DAY_FROM..DAY_TO, 2019 by default): what the dashboard asks.
# MIX=full: by day, week and month, all over the ten years (daily series of the busiest
#   dyads are 3,000 buckets, 250 KB each).
#
#   scripts/loadtest.sh                      # 200,000 events, 200 connections, 15 s
#   MIX=full EVENTS=1000000 DURATION=30s scripts/loadtest.sh
#
# Needs wrk (Debian: apt-get install -y wrk) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-200000}
CONNS=${CONNS:-200}
THREADS=${THREADS:-2}
DURATION=${DURATION:-15s}
MIX=${MIX:-dashboard}
DAY_FROM=${DAY_FROM:-2019-01-01}
DAY_TO=${DAY_TO:-2019-12-31}
PORT=${PORT:-18089}
WORK=${WORK:-${TMPDIR:-/tmp}/dyad-loadtest}
DB="$WORK/events-$EVENTS.db"

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "loadtest: needs $tool" >&2; exit 2; }
done
mkdir -p "$WORK"

# DYAD_BIN: use this `dyad` binary instead of building one. CACHE_MS: serve with the
# server crate's `serve` example instead, with that answer cache lifetime (0: no cache).
if [ -n "${CACHE_MS:-}" ]; then
  cargo build --release -q -p dyad-server --example serve
  serve_cmd=(target/release/examples/serve --cache-ms "$CACHE_MS")
else
  if [ -z "${DYAD_BIN:-}" ]; then
    cargo build --release -q -p dyad-cli
    DYAD_BIN=target/release/dyad
  fi
  serve_cmd=("$DYAD_BIN" serve)
fi
if [ ! -f "$DB" ]; then
  echo "loadtest: building $DB ($EVENTS synthetic events)" >&2
  cargo run --release -q -p dyad-store --example bench -- \
    --events "$EVENTS" --path "$DB" --keep --normal >&2
fi

"${serve_cmd[@]}" --db "$DB" --addr "127.0.0.1:$PORT" 2>"$WORK/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$base/healthz" >/dev/null || { echo "loadtest: server did not start" >&2; cat "$WORK/serve.log" >&2; exit 1; }

case "$MIX" in
  dashboard) day_range="&from=$DAY_FROM&to=$DAY_TO" ;;
  full) day_range="" ;;
  *) echo "loadtest: MIX must be dashboard or full" >&2; exit 2 ;;
esac
# The 100 busiest dyads, each asked by day, week and month.
curl -fsS "$base/v1/dyads?limit=100" \
  | grep -o '"source":"[^"]*","target":"[^"]*"' \
  | sed 's/"source":"\([^"]*\)","target":"\([^"]*\)"/\1 \2/' \
  | while read -r s t; do
      echo "/v1/dyads/$s/$t/series?interval=day$day_range"
      echo "/v1/dyads/$s/$t/series?interval=week"
      echo "/v1/dyads/$s/$t/series?interval=month"
    done >"$WORK/paths.txt"
bytes=0
while read -r p; do
  bytes=$((bytes + $(curl -fsS -o /dev/null -w '%{size_download}' "$base$p")))
done <"$WORK/paths.txt"
n=$(wc -l <"$WORK/paths.txt")
echo "loadtest: MIX=$MIX, $n series URLs (mean answer $((bytes / n)) bytes), $CONNS connections, $THREADS wrk threads, $DURATION, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# CPU time of the server (user + system, clock ticks), to report its cost per request,
# which depends less on what else runs on the machine than latency does.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
before=$(cpu_ticks)
DYAD_PATHS="$WORK/paths.txt" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 5s \
  -s scripts/loadtest.lua "$base" | grep '^loadtest:' | tee "$WORK/result.txt"
after=$(cpu_ticks)
requests=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$WORK/result.txt")
if [ -n "$requests" ] && [ "$requests" -gt 0 ]; then
  hz=$(getconf CLK_TCK)
  echo "loadtest: server CPU $(( (after - before) * 1000000 / hz / requests )) us per request ($(( (after - before) / hz )) s user+system)"
fi
