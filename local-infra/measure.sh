#!/usr/bin/env bash
# Measures local-infra on this machine: time to ready for each server alone and for all three together, their
# RSS once ready, and the time from Ctrl-C (SIGINT) until no server process is left. Optionally (--tests) the peak RSS of
# all server JVMs during ./sluice test. Results go to stdout; the README keeps the numbers measured here.
#   local-infra/measure.sh [--tests]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests -pl local-infra -am package
CP="local-infra/target/classes:$(cat local-infra/target/runtime-classpath.txt)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
OUT=$(mktemp -d)

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b - a}'; }

servers_rss_mb() {  # total RSS of the server JVMs under directory $1, in MB
  local pids; pids=$(pgrep -f "$1/.*dev.sluice.infra.launch.ChildMain" || true)
  [ -z "$pids" ] && { echo 0; return; }
  ps -o rss= -p $(echo $pids | tr ' ' ',') | awk '{s+=$1} END {printf "%d", s/1024}'
}

run_once() {  # $1 = servers
  local dir="$OUT/run-${1//,/-}"
  local start; start=$(date +%s.%N)
  # a script's background job inherits SIGINT as ignored; reset it so that the kill -INT below is a real Ctrl-C
  env --default-signal=INT "$JAVA" -Xmx256m -XX:+UseSerialGC -Dsluice.infra.maven="$PWD/mvnw" -cp "$CP" dev.sluice.infra.LocalInfraCommand \
    --servers "$1" --dir "$dir" > "$dir.out" 2>&1 &
  local pid=$!
  until [ -f "$dir/endpoints.properties" ]; do
    kill -0 $pid 2>/dev/null || { cat "$dir.out"; exit 1; }
    sleep 0.1
  done
  local ready; ready=$(date +%s.%N)
  sleep 5  # let the servers settle before reading their memory
  local rss; rss=$(servers_rss_mb "$dir")
  local cmd_rss; cmd_rss=$(ps -o rss= -p $pid | awk '{printf "%d", $1/1024}')
  local stop; stop=$(date +%s.%N)
  kill -INT $pid
  while pgrep -f "$dir/.*dev.sluice.infra.launch.ChildMain" >/dev/null || kill -0 $pid 2>/dev/null; do sleep 0.1; done
  local gone; gone=$(date +%s.%N)
  printf "%-22s up in %5.1f s  (%s)  servers RSS %5d MB  command RSS %4d MB  Ctrl-C to no process %4.1f s\n" \
    "$1" "$(elapsed "$start" "$ready")" "$(grep -o 'ready in *[0-9.]* s' "$dir.out" | tr -s ' ' | paste -sd, -)" \
    "$rss" "$cmd_rss" "$(elapsed "$stop" "$gone")"
}

echo "local-infra on $(nproc) cores, $("$JAVA" -version 2>&1 | head -1)"
for servers in kafka cassandra s3 kafka,cassandra,s3; do run_once "$servers"; done

if [ "${1:-}" = "--tests" ]; then
  peak=0
  ./sluice test > local-infra/target/measure-test.log 2>&1 &
  tests=$!
  began=$(date +%s)
  while kill -0 $tests 2>/dev/null; do
    now=$(servers_rss_mb "$PWD"); [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.5
  done
  wait $tests && result=passed || result=FAILED
  echo "./sluice test $result (log local-infra/target/measure-test.log) in $(( $(date +%s) - began )) s; peak RSS of the server JVMs $peak MB"
fi
rm -rf "$OUT"
