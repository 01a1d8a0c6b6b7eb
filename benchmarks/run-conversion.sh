#!/usr/bin/env bash
# The gatekeeper's hot path against Allegro's json2avro and the floor (JMH, one thread). Extra args go to JMH.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl benchmarks -am package -DskipTests -DskipITs
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" org.openjdk.jmh.Main \
  ConversionBenchmark -rf json -rff benchmarks/target/conversion.json "$@"
