#!/usr/bin/env bash
# Runs one of lake-jobs' benchmarks (test sources, Spark's classpath) with the registry's jar for local-infra:
#   benchmarks/lake-benchmark.sh <class in dev.sluice.lake> [args...]
set -euo pipefail
cd "$(dirname "$0")/.."
main="$1"; shift
./mvnw -B -q -pl lake-jobs -am install -DskipTests -DskipITs
./mvnw -B -q -pl lake-jobs dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
export SLUICE_INFRA_SCHEMA_REGISTRY_JAR="$(ls "$PWD"/schema-registry/target/schema-registry-*.jar | grep -v original | head -1)"
exec java -Xmx3g $(cat lake-jobs/target/job/jvm.options) -Dsluice.infra.maven="$PWD/mvnw" \
  -cp "lake-jobs/target/test-classes:lake-jobs/target/classes:$(cat lake-jobs/target/test-classpath.txt)" \
  "dev.sluice.lake.$main" "$@"
