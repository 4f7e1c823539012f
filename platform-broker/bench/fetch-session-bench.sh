#!/usr/bin/env bash
# What a consumer of many quiet partitions costs the broker with fetch sessions (KIP-227) and without:
# one broker in a JVM of its own, PARTITIONS partitions with a record each, a consumer at their end
# polling for SECONDS seconds. Prints fetches per second, the broker's CPU time per fetch and the bytes
# the consumer received per fetch, for each, and the ratios (sessions / no sessions).
# Usage, from the repository root: platform-broker/bench/fetch-session-bench.sh [PARTITIONS=1000] [SECONDS=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./mvnw -q -B -pl platform-broker test-compile dependency:build-classpath \
    -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test
cp="platform-broker/target/test-classes:platform-broker/target/classes:$(cat "$work/classpath")"
java -Xmx1g -cp "$cp" io.tributary.broker.bench.FetchSessionBench "${1:-1000}" "${2:-20}"
