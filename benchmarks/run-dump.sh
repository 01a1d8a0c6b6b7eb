#!/usr/bin/env bash
# The tier-zero dump job's throughput against a plain Spark job writing the same rows with the same partitioning,
# and the fixed overhead of launching a job (see lake-jobs' DumpBenchmark). Args: [events 300000] [hours 24]
exec "$(dirname "$0")/lake-benchmark.sh" DumpBenchmark "$@"
