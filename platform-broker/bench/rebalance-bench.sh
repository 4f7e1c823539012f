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

./mvnw -q -B -o -pl platform-broker dependency:build-classpath -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test
bench_cp="platform-broker/target/test-classes:platform-broker/target/classes:$(cat "$work/classpath")"
cat > "$work/logback.xml" <<'XML'
<configuration><root level="WARN"/></configuration>
XML
cat > "$work/log4j2.properties" <<'PROPS'
rootLogger.level = WARN
PROPS

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
for protocol in ("classic", "consumer"):
    for figure in ("join_ms", "leave_ms"):
        t, k = medians.get(f"tributary.{protocol}.{figure}"), medians.get(f"kafka.{protocol}.{figure}")
        if t and k:
            print(f"ratio.tributary/kafka.{protocol}.{figure}={t / k:.2f}")
PY
