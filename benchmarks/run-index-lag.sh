#!/usr/bin/env bash
# Does the reverse index keep up with the gatekeeper? Raw events offered at a steady rate, the index lag sampled
# (see IndexLagHarness). Args: [--rate 10000] [--seconds 60] [--warmup 60] [--ramp 40] [--users 1]
# [--set privacy.setting=value]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl benchmarks,schema-registry,gatekeeper-service,privacy-requests-service -am package -DskipTests -DskipITs
export SLUICE_INFRA_SCHEMA_REGISTRY_JAR="$(ls "$PWD"/schema-registry/target/schema-registry-*.jar | head -1)"
exec java -Xmx1g -Dsluice.infra.maven="$PWD/mvnw" -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  dev.sluice.benchmarks.IndexLagHarness "$@"
