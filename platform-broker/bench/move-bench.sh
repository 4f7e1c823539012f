#!/usr/bin/env bash
# What moving replicas costs on four brokers in one JVM (LocalCluster): the time to move a replica of
# every partition of a topic holding MIB mebibytes onto a broker that had none, unthrottled and then
# back, then again with a replication throttle of THROTTLE bytes/s per broker (as kafka-reassign-partitions
# --throttle sets it), and a producer's throughput during each move against just before it. Its data
# (several GB for the default 1 GiB) is in a temporary directory, deleted at the end.
# Usage, from the repository root: platform-broker/bench/move-bench.sh [MIB=1024] [THROTTLE=52428800]
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./mvnw -q -B -pl platform-broker test-compile dependency:build-classpath \
    -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test
cp="platform-broker/target/test-classes:platform-broker/target/classes:$(cat "$work/classpath")"
java -Xmx3g -cp "$cp" io.tributary.broker.cluster.bench.MoveBench "${1:-1024}" "${2:-52428800}"
