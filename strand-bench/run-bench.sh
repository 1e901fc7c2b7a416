#!/usr/bin/env bash
# Benchmarks (see docs/benchmarks.md):
#   ./strand bench [peer] [--peer zipkin|none] [--spans N | --duration S [--warmup S]] [--batch N]
#                         [--connections N] [--source pool|fresh]
#   ./strand bench query  [--spans 10000000] [--runs 100]
#   ./strand bench ingest [--spans N | --duration S [--warmup S]] [--batch N] [--connections N]
#                         [--source pool|fresh] [--generator-only]
#   ./strand bench write  [--spans N] [--threads N] [--batch N]  (the store's write path alone)
#   ./strand bench jmh    [JMH options, e.g. -wi 1 -i 3 HotPath, or IndexKey]
# Builds what it needs; for the peer comparison also fetches the Zipkin server's exec jar from
# Maven Central. Servers run on 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/select-jdk.sh
. "$root/scripts/select-jdk.sh"
strand_select_jdk
cd "$root"

which=peer
case "${1:-}" in
  peer|query|ingest|write|jmh) which=$1; shift ;;
esac
case "$which" in
  peer) main=io.strand.bench.PeerBenchmark ;;
  query) main=io.strand.bench.QueryBenchmark ;;
  ingest) main=io.strand.bench.IngestBenchmark ;;
  write) main=io.strand.storage.rocksdb.WriteBenchmark ;;
  jmh) main=org.openjdk.jmh.Main ;;
esac

./mvnw -q -B -DskipTests -pl strand-bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >/dev/null
zipkin_version=3.6.1
if [ "$which" = peer ] && [ ! -f "strand-bench/target/peer/zipkin-server-$zipkin_version-exec.jar" ]; then
  ./mvnw -q -B dependency:copy -Dartifact="io.zipkin:zipkin-server:$zipkin_version:jar:exec" \
    -DoutputDirectory=strand-bench/target/peer >/dev/null
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx8g -cp \
  "strand-bench/target/classes:$(cat strand-bench/target/classpath.txt)" "$main" "$@"
