#!/usr/bin/env bash
# The dedup service's landing throughput against the Cassandra driver alone, and raw -> landing latency at a steady
# rate (see LandingHarness). Args: [--events 300000] [--rate 10000] [--warmup 20] [--seconds 60] [--set key=value]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl benchmarks,schema-registry,gatekeeper-service,dedup-service -am package -DskipTests -DskipITs
export SLUICE_INFRA_SCHEMA_REGISTRY_JAR="$(ls "$PWD"/schema-registry/target/schema-registry-*.jar | head -1)"
exec java -Xmx2g -Dsluice.infra.maven="$PWD/mvnw" -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  dev.sluice.benchmarks.LandingHarness "$@"
