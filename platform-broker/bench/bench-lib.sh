# Shared by the bench scripts that run Tributary and, with KAFKA_LIBS, Apache Kafka as one PLAINTEXT broker on
# 127.0.0.1:$PORT (Kafka's controller on PORT+1) in turns. Source it after setting PORT, jar (Tributary's executable
# jar), work (a scratch folder) and broker_pid=""; it writes work/classpath, work/logback.xml and
# work/log4j2.properties and sets tools_cp, the test classpath (kafka-clients, Kafka's tools). A script that runs
# no client tool sets no_tools_cp=1 first, which skips the Maven call that builds the classpath.

if [ "${no_tools_cp:-0}" != 1 ]; then
    ./mvnw -q -B -o -pl platform-broker dependency:build-classpath -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test
    tools_cp=$(cat "$work/classpath")
fi
cat > "$work/logback.xml" <<'XML'
<configuration><root level="WARN"/></configuration>
XML
cat > "$work/log4j2.properties" <<'PROPS'
rootLogger.level = WARN
PROPS

tool() { # MAIN_CLASS ARGS...: one of Kafka's tools, with the heap Kafka's scripts give them, for tool_timeout s (300)
    timeout -k 10 "${tool_timeout:-300}" java -Xmx512M "-Dlogback.configurationFile=$work/logback.xml" -cp "$tools_cp" "$@"
}

await_port() {
    for _ in $(seq 1 1200); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        kill -0 "$broker_pid" 2>/dev/null || { echo "the broker exited; its output is in $work" >&2; exit 1; }
        sleep 0.1
    done
    echo "nothing listens on $1 after 120 s" >&2; exit 1
}

start_tributary() { # DATA_DIR; TRIBUTARY_ARGS: more of its options
    java -Xmx1G -Xms1G ${TRIBUTARY_JAVA_OPTS:-} -jar "$jar" --server.port=0 "--tributary.broker.data-dir=$1" \
        "--tributary.broker.listeners=PLAINTEXT://127.0.0.1:$PORT" ${TRIBUTARY_ARGS:-} > "$1.out" 2>&1 &
    broker_pid=$!
}

start_kafka() { # DATA_DIR
    format_kafka "$1"
    launch_kafka "$1"
}

format_kafka() { # DATA_DIR: writes server.properties and formats the storage (Kafka's kafka-storage format)
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
}

launch_kafka() { # DATA_DIR, formatted: starts the broker in the background (the JVM flags of kafka-server-start.sh)
    java -Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
        -Djava.awt.headless=true "-Dkafka.logs.dir=$1" "-Dlog4j2.configurationFile=file:$work/log4j2.properties" \
        -cp "$KAFKA_LIBS/*" kafka.Kafka "$1/server.properties" > "$1.out" 2>&1 &
    broker_pid=$!
}

# kafka_ping PORT: 0 when the broker on 127.0.0.1:PORT answers a Kafka ApiVersions (v0) request with our
# correlation id, i.e. it speaks the Kafka protocol and serves requests, not merely accepts connections.
kafka_ping() {
    timeout 3 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 2
        # size=14 | api_key=18 (ApiVersions) | api_version=0 | correlation_id=42 | client_id="ping"
        printf "\x00\x00\x00\x0e\x00\x12\x00\x00\x00\x00\x00\x2a\x00\x04ping" >&3
        resp=$(head -c 8 <&3 | od -An -tx1 | tr -d " \n")
        [ "${resp:8:8}" = "0000002a" ]
    ' "$1" 2>/dev/null
}

stop_broker() {
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
    broker_pid=""
}

run_rounds() { # ROUNDS: measure each broker in turn (bench_brokers, default tributary; kafka too with KAFKA_LIBS)
    local brokers=("${bench_brokers[@]:-tributary}") round broker
    [ -n "${KAFKA_LIBS:-}" ] && brokers+=(kafka)
    for round in $(seq 1 "$1"); do
        for broker in "${brokers[@]}"; do
            echo "round $round: $broker" >&2
            measure "$broker" "$round" | tee -a "$work/figures"
        done
    done
}

print_medians() { # the median of each BROKER.FIGURE in work/figures (also kept in work/medians), then Tributary/Kafka
    python3 - "$work/figures" "$work/medians" <<'PY'
import statistics, sys
from collections import defaultdict
values = defaultdict(list)
for line in open(sys.argv[1]):
    key, _, value = line.strip().partition("=")
    if value:
        values[key].append(float(value))
medians = {key: statistics.median(v) for key, v in values.items()}
with open(sys.argv[2], "w") as kept:
    kept.writelines(f"{key}={value}\n" for key, value in medians.items())
for key in sorted(medians):
    print(f"median.{key}={medians[key]:g} (rounds: {' '.join(f'{v:g}' for v in values[key])})")
for figure in sorted({key.split(".", 1)[1] for key in medians}):
    t, k = medians.get(f"tributary.{figure}"), medians.get(f"kafka.{figure}")
    if t and k:
        print(f"ratio.tributary/kafka.{figure}={t / k:.2f}")
PY
}
