#!/usr/bin/env bash
# How close produce is to its ceiling: Apache Kafka's ProducerPerformance (1 KiB records, batch.size=65536,
# linger.ms=5, as fast as it goes) against Tributary as it is, and against Tributary started with
# tributary.broker.bench-acknowledge-without-storing=true, which answers every batch as appended and drops it: the
# same client, network and request path without the log, so what the client and the machine allow. One and six
# partitions, acks=1 and acks=all (idempotent), each into an empty topic after a warm-up. With KAFKA_LIBS (a folder of
# Apache Kafka 4.1's jars and Log4j 2) an Apache Kafka broker runs in each round too.
#
# Usage, from the repository root, after ./mvnw install -DskipTests:
#   [KAFKA_LIBS=/path/to/kafka/libs] platform-broker/bench/ceiling-bench.sh [ROUNDS]
# Env: BENCH_RECORDS (1000000 per produce), BENCH_WARMUP (1000000), BENCH_PORT (29392; +1 Kafka's controller).
# Prints BROKER.FIGURE=value per round, then the medians, Tributary/Kafka ratios, and each broker's share of the ceiling.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
RECORDS=${BENCH_RECORDS:-1000000}
WARMUP=${BENCH_WARMUP:-1000000}
PORT=${BENCH_PORT:-29392}
jar=$(ls platform-broker/target/platform-broker-*-exec.jar)
work=$(mktemp -d /tmp/ceiling-bench.XXXX)
broker_pid=""
trap '[ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

# shellcheck source=bench-lib.sh
source platform-broker/bench/bench-lib.sh
bench_brokers=(tributary ceiling)

start_ceiling() { # DATA_DIR
    TRIBUTARY_ARGS="--tributary.broker.bench-acknowledge-without-storing=true" start_tributary "$1"
}

produce() { # TOPIC RECORDS ACKS: prints the MB/sec ProducerPerformance measured
    tool org.apache.kafka.tools.ProducerPerformance --topic "$1" --num-records "$2" --record-size 1024 \
        --throughput -1 --producer-props "bootstrap.servers=127.0.0.1:$PORT" "acks=$3" batch.size=65536 linger.ms=5 \
        compression.type=none > "$work/produce.log"
    # N records sent, R records/sec (M MB/sec), ...
    tail -n 1 "$work/produce.log" | sed -nE 's/.*\(([0-9.]+) MB\/sec\).*/\1/p'
}

measure() { # BROKER ROUND: prints BROKER.FIGURE=value lines
    local name=$1 round=$2 data="$work/$1-$2" partitions acks
    "start_$name" "$data"
    await_port "$PORT"
    for partitions in 1 6; do
        for acks in 1 all; do
            tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$PORT" --create \
                --topic "p$partitions-acks$acks" --partitions "$partitions" --replication-factor 1 > /dev/null
        done
    done
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$PORT" --create --topic warm-up \
        --partitions 1 --replication-factor 1 > /dev/null
    produce warm-up "$WARMUP" 1 > /dev/null
    for partitions in 1 6; do
        for acks in 1 all; do
            echo "$name.produce_p${partitions}_acks${acks}_MBps=$(produce "p$partitions-acks$acks" "$RECORDS" "$acks")"
        done
    done
    stop_broker
    rm -rf "$data"
}

run_rounds "$ROUNDS"
print_medians
python3 - "$work/medians" <<'PY'
import sys
medians = {key: float(value) for key, _, value in (line.strip().partition("=") for line in open(sys.argv[1]))}
for key in sorted(k for k in medians if k.startswith("ceiling.")):
    figure = key.split(".", 1)[1]
    for broker in ("tributary", "kafka"):
        if f"{broker}.{figure}" in medians:
            print(f"ratio.{broker}/ceiling.{figure}={medians[f'{broker}.{figure}'] / medians[key]:.2f}")
PY
