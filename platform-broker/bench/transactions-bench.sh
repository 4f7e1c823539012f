#!/usr/bin/env bash
# What transactions cost: Apache Kafka's ProducerPerformance writes 1 KiB records with acks=all to a one-partition
# topic, idempotent and then transactional (--transactional-id, a commit every 100 ms), and EndToEndLatency times
# round trips with a read_uncommitted and then a read_committed consumer. With KAFKA_LIBS (a folder of Apache Kafka
# 4.1's jars and Log4j 2) an Apache Kafka broker runs after Tributary in each round, so the figures of both come
# from the same run.
#
# Usage, from the repository root, after ./mvnw install -DskipTests:
#   [KAFKA_LIBS=/path/to/kafka/libs] platform-broker/bench/transactions-bench.sh [ROUNDS]
# Env: BENCH_RECORDS (300000 per produce), BENCH_E2E (5000 round trips), BENCH_PORT (29292; +1 Kafka's controller).
# Prints BROKER.FIGURE=value per round, then the medians, Tributary/Kafka ratios and each broker's own ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
RECORDS=${BENCH_RECORDS:-300000}
E2E=${BENCH_E2E:-5000}
PORT=${BENCH_PORT:-29292}
jar=$(ls platform-broker/target/platform-broker-*-exec.jar)
work=$(mktemp -d /tmp/transactions-bench.XXXX)
broker_pid=""
trap '[ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

# shellcheck source=bench-lib.sh
source platform-broker/bench/bench-lib.sh
echo "isolation.level=read_uncommitted" > "$work/read_uncommitted.properties"
echo "isolation.level=read_committed" > "$work/read_committed.properties"

measure() { # BROKER ROUND: prints BROKER.FIGURE=value lines
    local name=$1 round=$2 data="$work/$1-$2" isolation
    "start_$name" "$data"
    await_port "$PORT"
    for topic in warm-up idempotent transactional; do
        tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$PORT" --create --topic "$topic" \
            --partitions 1 --replication-factor 1 > /dev/null
    done
    local props=(--producer-props "bootstrap.servers=127.0.0.1:$PORT" acks=all batch.size=65536 linger.ms=5)
    tool org.apache.kafka.tools.ProducerPerformance --topic warm-up --num-records $((RECORDS / 2)) --record-size 1024 \
        --throughput -1 --transactional-id bench-warm-up --transaction-duration-ms 100 "${props[@]}" > /dev/null
    tool org.apache.kafka.tools.ProducerPerformance --topic idempotent --num-records "$RECORDS" --record-size 1024 \
        --throughput -1 "${props[@]}" enable.idempotence=true > "$data-idempotent.log"
    # N records sent, R records/sec (M MB/sec), ...
    echo "$name.produce_idempotent_MBps=$(tail -n 1 "$data-idempotent.log" | sed -nE 's/.*\(([0-9.]+) MB\/sec\).*/\1/p')"
    tool org.apache.kafka.tools.ProducerPerformance --topic transactional --num-records "$RECORDS" --record-size 1024 \
        --throughput -1 --transactional-id bench-tx --transaction-duration-ms 100 "${props[@]}" > "$data-transactional.log"
    echo "$name.produce_transactional_MBps=$(tail -n 1 "$data-transactional.log" | sed -nE 's/.*\(([0-9.]+) MB\/sec\).*/\1/p')"
    for isolation in read_uncommitted read_committed; do
        tool org.apache.kafka.tools.EndToEndLatency "127.0.0.1:$PORT" "e2e-$isolation" "$E2E" 1 1024 \
            "$work/$isolation.properties" > "$data-e2e-$isolation.log"
        echo "$name.e2e_${isolation}_avg_ms=$(sed -nE 's/^Avg latency: ([0-9.]+) ms.*/\1/p' "$data-e2e-$isolation.log" | tail -n 1)"
    done
    stop_broker
    rm -rf "$data"
}

run_rounds "$ROUNDS"
print_medians
python3 - "$work/medians" <<'PY'
import sys
medians = {key: float(value) for key, _, value in (line.strip().partition("=") for line in open(sys.argv[1]))}
for broker in sorted({key.split(".")[0] for key in medians}):
    m = lambda figure: medians.get(f"{broker}.{figure}")
    if m("produce_transactional_MBps") and m("produce_idempotent_MBps"):
        print(f"ratio.{broker}.transactional/idempotent={m('produce_transactional_MBps') / m('produce_idempotent_MBps'):.2f}")
    if m("e2e_read_committed_avg_ms") and m("e2e_read_uncommitted_avg_ms"):
        print(f"ratio.{broker}.read_committed/read_uncommitted.e2e={m('e2e_read_committed_avg_ms') / m('e2e_read_uncommitted_avg_ms'):.2f}")
PY
