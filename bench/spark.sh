#!/usr/bin/env bash
# The Spark benchmark (issue 6): runs per core-hour through Spark vs a plain Java loop, and the
# search on a standalone cluster of 1 vs 2 one-core workers. Needs the bundled datasets
# (bin/tinysparse datasets fetch); pretrains the default backbone if the store lacks it.
#   bench/spark.sh [--runs N] [--population N] [--repeats N] [--part all|local|cluster] [--cores 1,2] [--seed S]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -o -pl jobs -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt -Dstyle.color=never >&2
CP="$ROOT/jobs/target/test-classes"
for m in core datasets simulator policy-search results jobs; do
  CP="$CP:$ROOT/$m/target/classes"
done
CP="$CP:$(cat "$ROOT/jobs/target/bench-classpath.txt")"
source "$ROOT/bin/jvm-flags.sh"
exec java -Xms6g -Xmx6g "${TINYSPARSE_JVM_FLAGS[@]}" -cp "$CP" io.tinysparse.jobs.SparkThroughputBench "$@"
