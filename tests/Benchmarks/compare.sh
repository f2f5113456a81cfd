#!/usr/bin/env bash
# The load test of this tree and of another worktree (a commit before a change), alternating, on the same data.
#   git worktree add ../before <commit> && ln -s "$PWD/artifacts/perf" ../before/artifacts/perf
#   tests/Benchmarks/compare.sh ../before
# Each round runs run.sh in the other tree, then in this one, with the same SCALES, ONLY, DURATION and CACHE;
# compare req/s and "% ceil" row by row (the ceiling is measured in the same run, so it absorbs the drift).
set -euo pipefail
cd "$(dirname "$0")/../.."
other=${1:?usage: compare.sh <other worktree>}
ROUNDS=${ROUNDS:-2}
export SCALES=${SCALES:-"100000 1000000"} DURATION=${DURATION:-5s}
export ONLY=${ONLY:-'first page|timestamp desc|owner asc|job by id|limit 100|poll'}

for round in $(seq "$ROUNDS"); do
  for tree in "$other" .; do
    echo "### round $round, $(git -C "$tree" log --oneline -1), document cache ${CACHE:-on}"
    (cd "$tree" && tests/Benchmarks/run.sh)
  done
done
