#!/usr/bin/env bash
# How long a consumer group takes to settle, classic protocol against the consumer protocol (KIP-848):
# ten consumers of one group start together on a 20-partition topic (join: until every member has its
# share), then one closes (leave: until the others own every partition again). Each broker runs with
# its default group settings (a 3 s initial rebalance delay for classic groups, 5 s consumer-protocol
# heartbeats). With KAFKA_LIBS (a folder of Apache Kafka 4.1's jars and Log4j 2) an Apache Kafka broker
# runs after Tributary in each round, so the figures of both come from the same run.
#
# Usage, from the repository root, after ./mvnw install -DskipTests:
#   [KAFKA_LIBS=/path/to/kafka/libs] platform-broker/bench/rebalance-bench.sh [ROUNDS]
# Env: BENCH_PORT (29192; +1 Kafka's controller), BENCH_MEMBERS (10), BENCH_PARTITIONS (20).
# Prints BROKER.PROTOCOL.FIGURE=value per round, then the medians and Tributary/Kafka ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
PORT=${BENCH_PORT:-29192}
MEMBERS=${BENCH_MEMBERS:-10}
PARTITIONS=${BENCH_PARTITIONS:-20}
jar=$(ls platform-broker/target/platform-broker-*-exec.jar)
work=$(mktemp -d /tmp/rebalance-bench.XXXX)
broker_pid=""
trap '[ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

# shellcheck source=bench-lib.sh
source platform-broker/bench/bench-lib.sh
bench_cp="platform-broker/target/test-classes:platform-broker/target/classes:$tools_cp"

measure() { # BROKER ROUND
    local name=$1 round=$2 data="$work/$1-$2" protocol
    "start_$name" "$data"
    await_port "$PORT"
    for protocol in classic consumer; do
        timeout -k 10 300 java -Xmx512M "-Dlogback.configurationFile=$work/logback.xml" -cp "$bench_cp" \
            io.tributary.broker.bench.RebalanceBench "127.0.0.1:$PORT" "$protocol" "$MEMBERS" "$PARTITIONS" \
            | sed "s/^/$name.$protocol./"
    done
    stop_broker
    rm -rf "$data"
}

run_rounds "$ROUNDS"
print_medians
