#!/usr/bin/env bash
# Share-group (KIP-932, queue) throughput with 1, 4 and 8 consumers on one partition: a one-partition topic is
# preloaded with 1 KiB records (Apache Kafka's ProducerPerformance, acks=1), then Apache Kafka's
# ShareConsumerPerformance (kafka-share-consumer-perf-test) runs 1, 4 and then 8 KafkaShareConsumers of a fresh
# share group (share.auto.offset.reset=earliest, implicit acknowledgement) until they have received every record.
# Its time runs from the consumers' subscribe to the last record, so it includes joining the group. With
# KAFKA_LIBS (a folder of Apache Kafka 4.1's jars and Log4j 2) an Apache Kafka broker, with share groups enabled
# (feature share.version=1), runs after Tributary in each round, so the figures of both come from the same run.
#
# Usage, from the repository root, after ./mvnw install -DskipTests:
#   [KAFKA_LIBS=/path/to/kafka/libs] platform-broker/bench/share-bench.sh [ROUNDS]
# Env: BENCH_RECORDS (300000 preloaded, and consumed by each scenario), BENCH_CONSUMERS ("1 4 8"),
#      BENCH_PORT (29392; +1 Kafka's controller),
#      TRIBUTARY_JAVA_OPTS (more JVM options for Tributary, e.g. -XX:StartFlightRecording=filename=/tmp/t.jfr).
# Prints BROKER.FIGURE=value per round, then the medians and Tributary/Kafka ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
RECORDS=${BENCH_RECORDS:-300000}
CONSUMERS=${BENCH_CONSUMERS:-1 4 8}
PORT=${BENCH_PORT:-29392}
jar=$(ls platform-broker/target/platform-broker-*-exec.jar)
work=$(mktemp -d /tmp/share-bench.XXXX)
broker_pid=""
trap '[ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

# shellcheck source=bench-lib.sh
source platform-broker/bench/bench-lib.sh

tool_timeout=600

retry() { # COMMAND...: until it succeeds, at most 60 times a second apart (Kafka's listener opens before it serves)
    for _ in $(seq 1 60); do
        if "$@" > "$work/retry.log" 2>&1; then return 0; fi
        sleep 1
    done
    cat "$work/retry.log" >&2; return 1
}

enable_share_groups() { # Kafka 4.1 serves share groups only once the share.version feature is finalized
    retry tool org.apache.kafka.tools.FeatureCommand --bootstrap-server "127.0.0.1:$PORT" upgrade --feature share.version=1
}

share_consume() { # GROUP CONSUMERS RECORDS LOG: a fresh share group, from the earliest record, until RECORDS arrived
    tool kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$PORT" --alter --entity-type groups \
        --entity-name "$1" --add-config share.auto.offset.reset=earliest > /dev/null
    # --timeout: the longest wait for a next record; it also bounds how long the tool waits for its threads.
    tool org.apache.kafka.tools.ShareConsumerPerformance --bootstrap-server "127.0.0.1:$PORT" --topic queue \
        --group "$1" --messages "$3" --threads "$2" --timeout 300000 --hide-header > "$4" 2>&1 || true
}

measure() { # BROKER ROUND: prints BROKER.FIGURE=value lines
    local name=$1 round=$2 data="$work/$1-$2" consumers stats
    "start_$name" "$data"
    await_port "$PORT"
    [ "$name" = kafka ] && enable_share_groups
    retry tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$PORT" --create --topic queue \
        --partitions 1 --replication-factor 1
    tool org.apache.kafka.tools.ProducerPerformance --topic queue --num-records "$RECORDS" --record-size 1024 \
        --throughput -1 --producer-props "bootstrap.servers=127.0.0.1:$PORT" acks=1 batch.size=65536 linger.ms=5 \
        > "$data-preload.log"
    # Not reported: the first share group makes Kafka create its share-state topic (about 6 s here), and both JVMs
    # are still compiling their hot paths.
    share_consume warm-up 1 $((RECORDS / 5)) "$data-warm-up.log"
    for consumers in $CONSUMERS; do
        share_consume "share-bench-$consumers" "$consumers" "$RECORDS" "$data-share-$consumers.log"
        # start.time, end.time, data.consumed.in.MB, MB.sec, nMsg.sec, data.consumed.in.nMsg, fetch.time.ms
        stats=$(grep -E '^[0-9]{4}-' "$data-share-$consumers.log" | tail -n 1 || true)
        if grep -q WARNING "$data-share-$consumers.log" || [ -z "$stats" ]; then
            echo "$name: $consumers consumers did not receive $RECORDS records:" >&2
            cat "$data-share-$consumers.log" >&2
            echo "the end of $name's output:" >&2
            tail -n 20 "$data.out" >&2
            continue
        fi
        echo "$stats" | awk -F', ' -v p="$name.share_c$consumers" '{ print p "_MBps=" $4; print p "_recps=" $5 }'
    done
    stop_broker
    rm -rf "$data"
}

run_rounds "$ROUNDS"
print_medians
