#!/usr/bin/env bash
# End to end through the real broker (see EndToEndHarness). Args: [--rate 10000] [--seconds 60] [--drain 1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl benchmarks,schema-registry -am package -DskipTests -DskipITs
export SLUICE_INFRA_SCHEMA_REGISTRY_JAR="$(ls "$PWD"/schema-registry/target/schema-registry-*.jar | head -1)"
exec java -Xmx1g -Dsluice.infra.maven="$PWD/mvnw" -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  dev.sluice.benchmarks.EndToEndHarness "$@"
