#!/usr/bin/env bash
# Publishing a reservoir from tier zero against a plain Spark job that copies the same partitions with the same
# partitioning, and a policy change on a 30-day reservoir (see lake-jobs' ReservoirBenchmark). Args: [events 300000] [hours 24]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl lake-jobs -am install -DskipTests -DskipITs
./mvnw -B -q -pl lake-jobs dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
export SLUICE_INFRA_SCHEMA_REGISTRY_JAR="$(ls "$PWD"/schema-registry/target/schema-registry-*.jar | grep -v original | head -1)"
exec java -Xmx3g $(cat lake-jobs/target/job/jvm.options) -Dsluice.infra.maven="$PWD/mvnw" \
  -cp "lake-jobs/target/test-classes:lake-jobs/target/classes:$(cat lake-jobs/target/test-classpath.txt)" \
  dev.sluice.lake.ReservoirBenchmark "$@"
