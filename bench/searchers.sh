#!/usr/bin/env bash
# The searcher comparison of issue 13 (docs/BENCHMARKS.md, "Searchers against Optuna"): tinysparse's
# searchers and Optuna 3.1's NSGA-II and TPE (Debian's python3-optuna) on the product's evaluator,
# hypervolume after 32..160 counted runs, seeds 1-3. Options: bench/searchers.sh --help.
#   bench/searchers.sh                                   # the full table (hours on 2 cores)
#   bench/searchers.sh --runs 40 --checkpoints 16,32,40 --seeds 1 --out /tmp/small
#   bench/searchers.sh --searchers model,nsga2,random,optuna-nsga2,optuna-tpe
# Trained runs go to OUT/memo.jsonl (--memo): a re-run with the same memo resumes, retraining nothing.
# Relative paths in options are read from the directory it is run in; the defaults are in the checkout.
# Runs as TINYSPARSE_HOME says (default ~/.tinysparse): the default backbone is pretrained there if missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# One reactor invocation, so that sibling modules resolve to their target/classes (no mvn install).
(cd "$ROOT" && mvn -B -q -o -pl policy-search -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt -Dstyle.color=never >&2)
CP="$ROOT/policy-search/target/test-classes:$(cat "$ROOT/policy-search/target/bench-classpath.txt")"
for m in core datasets simulator policy-search; do
  CP="$ROOT/$m/target/classes:$CP"
done
# shellcheck source=bin/jvm-flags.sh
source "$ROOT/bin/jvm-flags.sh"
exec java -Xmx${BENCH_HEAP:-6g} "${TINYSPARSE_JVM_FLAGS[@]}" -Dtinysparse.root="$ROOT" -cp "$CP" \
  io.tinysparse.search.bench.SearcherComparison "$@"
