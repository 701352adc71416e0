#!/usr/bin/env bash
# CLI start-up: `groundwork --help` and `groundwork status` (embedded database, no models), before vs
# after, side by side in one hyperfine run. Usage:
#   bench/cli-startup.sh [BEFORE_CHECKOUT] [AFTER_CHECKOUT]
# BEFORE defaults to a detached worktree of the commit before the compiled CLI (create it with
#   git worktree add --detach /tmp/base-cli 761ea85 && ln -s "$PWD/node_modules" /tmp/base-cli/node_modules),
# AFTER to this checkout, which is built first (npm run build:cli). Needs hyperfine (apt-get install hyperfine).
# Prints the load average before and after, and writes bench/results/cli-startup.{md,json}. The floor
# under `status` on the embedded engine is opening PGlite itself (bench/pglite-open.mjs), timed beside it.
# With BENCH_DATABASE_URL (a Postgres server database of its own), `status` also runs against it.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE="${1:-/tmp/base-cli}"
AFTER="${2:-$PWD}"
RUNS="${RUNS:-10}"
node "$AFTER/scripts/build-cli.mjs"
node "$BEFORE/scripts/build-cli.mjs" >/dev/null 2>&1 || true
DATA="$(mktemp -d /tmp/groundwork-cli-bench.XXXXXX)"
trap 'rm -rf "$DATA"' EXIT
export GROUNDWORK_EMBEDDER=none GROUNDWORK_LLM=none LOG_LEVEL=silent
mkdir -p bench/results
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)  cores: $(nproc)"
hyperfine --warmup 2 --runs "$RUNS" --export-markdown bench/results/cli-startup.md \
  --export-json bench/results/cli-startup.json \
  -n 'before: --help' "node $BEFORE/bin/groundwork --help" \
  -n 'after: --help' "node $AFTER/bin/groundwork --help" \
  -n 'before: status' "GROUNDWORK_DATA_DIR=$DATA/before node $BEFORE/bin/groundwork status" \
  -n 'after: status' "GROUNDWORK_DATA_DIR=$DATA/after node $AFTER/bin/groundwork status" \
  -n 'floor: open the embedded engine' "node $AFTER/bench/pglite-open.mjs $DATA/after/pg" \
  ${BENCH_DATABASE_URL:+-n 'before: status (server)' "DATABASE_URL=$BENCH_DATABASE_URL node $BEFORE/bin/groundwork status"} \
  ${BENCH_DATABASE_URL:+-n 'after: status (server)' "DATABASE_URL=$BENCH_DATABASE_URL node $AFTER/bin/groundwork status"}
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
node -e '
const { results } = JSON.parse(require("fs").readFileSync("bench/results/cli-startup.json", "utf8"));
const median = (name) => results.find((r) => r.command === name).median;
for (const what of ["--help", "status", "status (server)"]) {
  if (!results.some((r) => r.command === `after: ${what}`)) continue;
  const before = median(`before: ${what}`), after = median(`after: ${what}`);
  console.log(`${what}: median ${before.toFixed(3)} s -> ${after.toFixed(3)} s (${(before / after).toFixed(1)}x faster)`);
}'
