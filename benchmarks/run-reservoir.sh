#!/usr/bin/env bash
# Publishing a reservoir from tier zero against a plain Spark job that copies the same partitions with the same
# partitioning, and a policy change on a 30-day reservoir (see lake-jobs' ReservoirBenchmark). Args: [events 300000] [hours 24]
exec "$(dirname "$0")/lake-benchmark.sh" ReservoirBenchmark "$@"
