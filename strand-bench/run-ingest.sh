#!/usr/bin/env bash
# Ingest benchmark: ./strand-bench/run-ingest.sh [--spans N] [--batch N] [--connections N]
# Builds what it needs, then prints acknowledged spans/s and bytes on disk per span.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/select-jdk.sh
. "$root/scripts/select-jdk.sh"
strand_select_jdk
cd "$root"
./mvnw -q -B -DskipTests -pl strand-bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >/dev/null
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx6g \
  -cp "strand-bench/target/classes:$(cat strand-bench/target/classpath.txt)" \
  io.strand.bench.IngestBenchmark "$@"
