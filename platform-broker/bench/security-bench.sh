#!/usr/bin/env bash
# What SASL_SSL costs next to PLAINTEXT: one broker with both listeners, Apache Kafka's own perf tools
# producing (acks=1), consuming and timing end-to-end latency through each listener in turn, 1 KiB records
# on a one-partition topic; SCRAM-SHA-512 over TLS 1.3 with a 2048-bit RSA key made for the run.
# With KAFKA_LIBS (a folder of Apache Kafka 4.1's jars and Log4j 2) an Apache Kafka broker configured alike
# runs after Tributary in each round, so both brokers' SASL_SSL/PLAINTEXT ratios come from the same run.
#
# Usage, from the repository root, after ./mvnw install -DskipTests:
#   [KAFKA_LIBS=/path/to/kafka/libs] platform-broker/bench/security-bench.sh [ROUNDS]
# Env: BENCH_RECORDS (500000 per produce and consume), BENCH_E2E (5000 end-to-end round trips),
#      BENCH_PORT (29092: PLAINTEXT; +1 Kafka's controller, +2 SASL_SSL),
#      TRIBUTARY_JAVA_OPTS (more JVM options for Tributary, e.g. -XX:StartFlightRecording=filename=/tmp/t.jfr).
# Prints BROKER.PROTOCOL.FIGURE=value per round, then the medians and each broker's SASL_SSL/PLAINTEXT ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
RECORDS=${BENCH_RECORDS:-500000}
E2E=${BENCH_E2E:-5000}
PORT=${BENCH_PORT:-29092}
SASL_PORT=$((PORT + 2))
PASSWORD=bench-secret
jar=$(ls platform-broker/target/platform-broker-*-exec.jar)
work=$(mktemp -d /tmp/security-bench.XXXX)
broker_pid=""
trap '[ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

./mvnw -q -B -o -pl platform-broker dependency:build-classpath -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test
tools_cp=$(cat "$work/classpath")
cat > "$work/logback.xml" <<'EOF'
<configuration><root level="WARN"/></configuration>
EOF
cat > "$work/log4j2.properties" <<'EOF'
rootLogger.level = WARN
EOF

# A certificate authority, its trust store, and the broker's key signed by it for localhost and 127.0.0.1.
keytool_() { keytool "$@" -storetype PKCS12 -storepass "$PASSWORD" -keypass "$PASSWORD" > /dev/null 2>&1; }
keytool_ -genkeypair -alias ca -keyalg RSA -keysize 2048 -dname "CN=Bench CA" -ext bc:c -validity 2 -keystore "$work/ca.p12"
keytool_ -exportcert -alias ca -rfc -file "$work/ca.pem" -keystore "$work/ca.p12"
keytool_ -importcert -alias ca -file "$work/ca.pem" -noprompt -keystore "$work/truststore.p12"
keytool_ -genkeypair -alias broker -keyalg RSA -keysize 2048 -dname "CN=localhost" -validity 2 -keystore "$work/broker.p12"
keytool_ -certreq -alias broker -file "$work/broker.csr" -keystore "$work/broker.p12"
keytool_ -gencert -alias ca -infile "$work/broker.csr" -outfile "$work/broker.crt" -rfc -validity 2 \
    -ext SAN=dns:localhost,ip:127.0.0.1 -keystore "$work/ca.p12"
keytool_ -importcert -alias ca -file "$work/ca.pem" -noprompt -keystore "$work/broker.p12"
keytool_ -importcert -alias broker -file "$work/broker.crt" -keystore "$work/broker.p12"

cat > "$work/PLAINTEXT.properties" <<EOF
security.protocol=PLAINTEXT
EOF
cat > "$work/SASL_SSL.properties" <<EOF
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="bench" password="$PASSWORD";
ssl.truststore.location=$work/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$PASSWORD
EOF

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
    java -Xmx1G -Xms1G ${TRIBUTARY_JAVA_OPTS:-} -jar "$jar" --server.port=0 "--tributary.broker.data-dir=$1" \
        "--tributary.broker.listeners=PLAINTEXT://127.0.0.1:$PORT,SASL_SSL://127.0.0.1:$SASL_PORT" \
        --tributary.broker.security.listener.sasl_ssl.ssl-bundle=broker \
        "--spring.ssl.bundle.jks.broker.keystore.location=file:$work/broker.p12" \
        --spring.ssl.bundle.jks.broker.keystore.type=PKCS12 "--spring.ssl.bundle.jks.broker.keystore.password=$PASSWORD" \
        "--spring.ssl.bundle.jks.broker.truststore.location=file:$work/truststore.p12" \
        --spring.ssl.bundle.jks.broker.truststore.type=PKCS12 "--spring.ssl.bundle.jks.broker.truststore.password=$PASSWORD" \
        --tributary.broker.security.bootstrap-users[0].name=bench \
        "--tributary.broker.security.bootstrap-users[0].password=$PASSWORD" \
        --tributary.broker.security.bootstrap-users[0].mechanism=SCRAM-SHA-512 \
        > "$1.out" 2>&1 &
    broker_pid=$!
}

start_kafka() { # DATA_DIR
    mkdir -p "$1"
    cat > "$1/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$PORT,SASL_SSL://127.0.0.1:$SASL_PORT,CONTROLLER://127.0.0.1:$((PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT,SASL_SSL://127.0.0.1:$SASL_PORT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.location=$work/broker.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=$PASSWORD
ssl.key.password=$PASSWORD
ssl.truststore.location=$work/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$PASSWORD
log.dirs=$1/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
    local kafka=(java -Xmx256M "-Dlog4j2.configurationFile=file:$work/log4j2.properties" -cp "$KAFKA_LIBS/*")
    "${kafka[@]}" kafka.tools.StorageTool format -t "$("${kafka[@]}" kafka.tools.StorageTool random-uuid | tail -n 1)" \
        -c "$1/server.properties" --add-scram "SCRAM-SHA-512=[name=bench,password=$PASSWORD]" > "$1/format.log" 2>&1
    # kafka-server-start.sh's heap and G1 settings
    java -Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
        -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true "-Dkafka.logs.dir=$1" \
        "-Dlog4j2.configurationFile=file:$work/log4j2.properties" -cp "$KAFKA_LIBS/*" kafka.Kafka "$1/server.properties" \
        > "$1.out" 2>&1 &
    broker_pid=$!
}

stop_broker() {
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
    broker_pid=""
}

measure() { # BROKER ROUND: prints BROKER.PROTOCOL.FIGURE=value lines
    local name=$1 round=$2 data="$work/$1-$2" protocol port
    "start_$name" "$data"
    await_port "$PORT"
    await_port "$SASL_PORT"
    for protocol in PLAINTEXT SASL_SSL; do
        tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$PORT" --create --topic "$protocol" \
            --partitions 1 --replication-factor 1 > /dev/null
    done
    # Warm-up through both listeners, not reported.
    for protocol in PLAINTEXT SASL_SSL; do
        port=$([ "$protocol" = PLAINTEXT ] && echo "$PORT" || echo "$SASL_PORT")
        tool org.apache.kafka.tools.ProducerPerformance --topic "$protocol-warm-up" --num-records $((RECORDS / 2)) \
            --record-size 1024 --throughput -1 --producer.config "$work/$protocol.properties" \
            --producer-props "bootstrap.servers=127.0.0.1:$port" acks=1 batch.size=65536 linger.ms=5 > /dev/null
    done
    for protocol in PLAINTEXT SASL_SSL; do
        port=$([ "$protocol" = PLAINTEXT ] && echo "$PORT" || echo "$SASL_PORT")
        tool org.apache.kafka.tools.ProducerPerformance --topic "$protocol" --num-records "$RECORDS" --record-size 1024 \
            --throughput -1 --producer.config "$work/$protocol.properties" \
            --producer-props "bootstrap.servers=127.0.0.1:$port" acks=1 batch.size=65536 linger.ms=5 > "$data-produce-$protocol.log"
        # N records sent, R records/sec (M MB/sec), ...
        echo "$name.$protocol.produce_MBps=$(tail -n 1 "$data-produce-$protocol.log" | sed -nE 's/.*\(([0-9.]+) MB\/sec\).*/\1/p')"
        tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "127.0.0.1:$port" --topic "$protocol" \
            --messages "$RECORDS" --group "bench-$protocol" --timeout 30000 \
            --consumer.config "$work/$protocol.properties" > "$data-consume-$protocol.log"
        # start.time, end.time, data.consumed.in.MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec: without the group's join
        echo "$name.$protocol.consume_MBps=$(grep -E '^[0-9]{4}-' "$data-consume-$protocol.log" | tail -n 1 | awk -F', *' '{print $9}')"
        tool org.apache.kafka.tools.EndToEndLatency "127.0.0.1:$port" "$protocol-e2e" "$E2E" 1 1024 \
            "$work/$protocol.properties" > "$data-e2e-$protocol.log"
        echo "$name.$protocol.e2e_avg_ms=$(sed -nE 's/^Avg latency: ([0-9.]+) ms.*/\1/p' "$data-e2e-$protocol.log" | tail -n 1)"
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
brokers = sorted({key.split(".")[0] for key in medians})
for figure in ("produce_MBps", "consume_MBps", "e2e_avg_ms"):
    ratios = []
    for broker in brokers:
        plain, sasl = medians.get(f"{broker}.PLAINTEXT.{figure}"), medians.get(f"{broker}.SASL_SSL.{figure}")
        if plain and sasl:
            ratios.append(f"{broker} {sasl / plain:.2f}")
    print(f"ratio.SASL_SSL/PLAINTEXT.{figure}: {', '.join(ratios)}")
PY
