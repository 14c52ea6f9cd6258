#!/usr/bin/env bash
# Runs the JMH benchmarks of one module on its test classpath.
#   bench/jmh.sh MODULE [JMH options...] [REGEX]
# e.g. bench/jmh.sh simulator MemoryEstimatorBench
#      bench/jmh.sh simulator -f 1 -wi 3 -i 5 -rf json -rff /tmp/mem.json MemoryEstimatorBench
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="${1:?usage: bench/jmh.sh MODULE [JMH options...] [REGEX]}"
shift
cd "$ROOT"
# One reactor invocation, so that sibling modules resolve to their target/classes (no mvn install).
mvn -B -q -o -pl "$MODULE" -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh-classpath.txt -Dstyle.color=never >&2
CP="$ROOT/$MODULE/target/test-classes:$ROOT/$MODULE/target/classes:$(cat "$ROOT/$MODULE/target/jmh-classpath.txt")"
for m in core datasets simulator policy-search results jobs; do
  CP="$CP:$ROOT/$m/target/classes"
done
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec java -Xmx2g -cp "$CP" org.openjdk.jmh.Main "$@"
