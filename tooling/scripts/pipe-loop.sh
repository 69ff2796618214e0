#!/usr/bin/env bash
# Output integrity, repeated: runs the slow-pipe-reader tests (apps/cli test/pipe.test.ts: tokenize, forward,
# pretraining-data, params, EPIPE, ENOSPC; packages/core test/process.test.ts: runMain) N times in a row, pinned to
# one core with `taskset -c 0`. Needs a build (`corepack pnpm build`). Usage: tooling/scripts/pipe-loop.sh [N=20]
set -uo pipefail
n=${1:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
log=$(mktemp)
passed=0
start=$(date +%s)
for i in $(seq "$n"); do
  if (cd "$root/apps/cli" && taskset -c 0 npx vitest run test/pipe.test.ts) >"$log" 2>&1 &&
     (cd "$root/packages/core" && taskset -c 0 npx vitest run test/process.test.ts) >>"$log" 2>&1; then
    passed=$((passed + 1))
    echo "run $i/$n: passed"
  else
    echo "run $i/$n: FAILED"
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '×|FAIL|Error|expected' | head -20
  fi
done
rm -f "$log"
echo "$passed/$n passed under taskset -c 0 in $(( $(date +%s) - start )) s"
[ "$passed" -eq "$n" ]
