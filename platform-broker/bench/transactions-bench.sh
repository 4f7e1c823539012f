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

./mvnw -q -B -o -pl platform-broker dependency:build-classpath -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test
tools_cp=$(cat "$work/classpath")
cat > "$work/logback.xml" <<'XML'
<configuration><root level="WARN"/></configuration>
XML
cat > "$work/log4j2.properties" <<'PROPS'
rootLogger.level = WARN
PROPS
echo "isolation.level=read_uncommitted" > "$work/read_uncommitted.properties"
echo "isolation.level=read_committed" > "$work/read_committed.properties"

tool() { # MAIN_CLASS ARGS...: one of Kafka's tools, with the heap Kafka's scripts give them
    timeout -k 10 300 java -Xmx512M "-Dlogback.configurationFile=$work/logback.xml" -cp "$tools_cp" "$@"
}

await_port() {
    for _ in $(seq 1 1200); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        kill -0 "$broker_pid" 2>/dev/null || { echo "the broker exited; its output is in $work" >&2; exit 1; }
        sleep 0.1
    done
    echo "nothing listens on $1 after 120 s" >&2; exit 1
}

start_tributary() { # DATA_DIR
    java -Xmx1G -Xms1G -jar "$jar" --server.port=0 "--tributary.broker.data-dir=$1" \
        "--tributary.broker.listeners=PLAINTEXT://127.0.0.1:$PORT" > "$1.out" 2>&1 &
    broker_pid=$!
}

start_kafka() { # DATA_DIR
    mkdir -p "$1"
    cat > "$1/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$((PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
log.dirs=$1/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
PROPS
    local kafka=(java -Xmx256M "-Dlog4j2.configurationFile=file:$work/log4j2.properties" -cp "$KAFKA_LIBS/*")
    "${kafka[@]}" kafka.tools.StorageTool format -t "$("${kafka[@]}" kafka.tools.StorageTool random-uuid | tail -n 1)" \
        -c "$1/server.properties" > "$1/format.log" 2>&1
    java -Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
        -Djava.awt.headless=true "-Dkafka.logs.dir=$1" "-Dlog4j2.configurationFile=file:$work/log4j2.properties" \
        -cp "$KAFKA_LIBS/*" kafka.Kafka "$1/server.properties" > "$1.out" 2>&1 &
    broker_pid=$!
}

stop_broker() {
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
    broker_pid=""
}

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

brokers=(tributary)
[ -n "${KAFKA_LIBS:-}" ] && brokers+=(kafka)
for round in $(seq 1 "$ROUNDS"); do
    for broker in "${brokers[@]}"; do
        echo "round $round: $broker" >&2
        measure "$broker" "$round" | tee -a "$work/figures"
    done
done

python3 - "$work/figures" <<'PY'
import statistics, sys
from collections import defaultdict
values = defaultdict(list)
for line in open(sys.argv[1]):
    key, _, value = line.strip().partition("=")
    if value:
        values[key].append(float(value))
medians = {key: statistics.median(v) for key, v in values.items()}
for key in sorted(medians):
    print(f"median.{key}={medians[key]:g} (rounds: {' '.join(f'{v:g}' for v in values[key])})")
figures = sorted({key.split(".", 1)[1] for key in medians})
for figure in figures:
    t, k = medians.get(f"tributary.{figure}"), medians.get(f"kafka.{figure}")
    if t and k:
        print(f"ratio.tributary/kafka.{figure}={t / k:.2f}")
for broker in sorted({key.split(".")[0] for key in medians}):
    m = lambda figure: medians.get(f"{broker}.{figure}")
    if m("produce_transactional_MBps") and m("produce_idempotent_MBps"):
        print(f"ratio.{broker}.transactional/idempotent={m('produce_transactional_MBps') / m('produce_idempotent_MBps'):.2f}")
    if m("e2e_read_committed_avg_ms") and m("e2e_read_uncommitted_avg_ms"):
        print(f"ratio.{broker}.read_committed/read_uncommitted.e2e={m('e2e_read_committed_avg_ms') / m('e2e_read_uncommitted_avg_ms'):.2f}")
PY
