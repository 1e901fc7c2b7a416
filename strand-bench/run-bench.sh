#!/usr/bin/env bash
# Side-by-side benchmark: Strand vs the Zipkin server, same payloads, one run.
#   ./strand bench [--peer zipkin|none] [--spans N] [--batch N] [--connections N] [--duration S]
# Builds Strand, fetches the Zipkin server's exec jar from Maven Central, runs both as separate
# processes on 127.0.0.1 and writes bench-results/<date>.json and .md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/select-jdk.sh
. "$root/scripts/select-jdk.sh"
strand_select_jdk
cd "$root"
zipkin_version=3.6.1
./mvnw -q -B -DskipTests -pl strand-bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >/dev/null
if [ ! -f "strand-bench/target/peer/zipkin-server-$zipkin_version-exec.jar" ]; then
  ./mvnw -q -B dependency:copy -Dartifact="io.zipkin:zipkin-server:$zipkin_version:jar:exec" \
    -DoutputDirectory=strand-bench/target/peer >/dev/null
fi
exec "$JAVA_HOME/bin/java" -Xmx8g -cp \
  "strand-bench/target/classes:$(cat strand-bench/target/classpath.txt)" \
  io.strand.bench.PeerBenchmark "$@"
