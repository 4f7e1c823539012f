#!/usr/bin/env bash
# What the console costs and how fast it answers, on one broker started from the exec jar:
#   1. produce throughput (kafka-clients, 1 KiB records, acks=1) without any console client, then
#      with a "browser" that keeps the Overview open (the page and its refreshes: the live section,
#      the traffic chart's JSON, once a second), in alternating rounds; prints the medians and their ratio;
#   2. page load times (server time to the whole HTML, curl) of Overview and of Messages showing
#      100 records, while the producer runs.
# Usage, from the repository root: platform-broker/bench/console-bench.sh [rounds] [records]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
RECORDS=${2:-1000000}
KAFKA_PORT=${KAFKA_PORT:-29192}
HTTP_PORT=${HTTP_PORT:-28180}
work=$(mktemp -d)
broker_pid=""
browser_pid=""
cleanup() {
    [ -n "$browser_pid" ] && kill "$browser_pid" 2>/dev/null || true
    [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

jar=platform-broker/target/platform-broker-0.1.0-SNAPSHOT-exec.jar
[ -f "$jar" ] || ./mvnw -q -B -pl platform-broker package -DskipTests
./mvnw -q -B -pl platform-broker test-compile dependency:build-classpath \
    -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test
cp="platform-broker/target/test-classes:platform-broker/target/classes:$(cat "$work/classpath")"
base="http://127.0.0.1:$HTTP_PORT"

java -Xmx1g -jar "$jar" --tributary.broker.port=$KAFKA_PORT --server.port=$HTTP_PORT \
    --tributary.broker.data-dir="$work/data" --logging.level.root=WARN >"$work/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 1 120); do curl -sf "$base/actuator/health" >/dev/null && break; sleep 0.5; done
curl -sf "$base/actuator/health" >/dev/null || { echo "broker did not start" >&2; cat "$work/broker.log" >&2; exit 3; }

produce() { # topic -> MiB/s
    curl -sf -X POST "$base/api/topics" -H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"partitions\":1}" >/dev/null
    timeout 300 java -Xmx512m -cp "$cp" io.tributary.broker.admin.console.bench.ProduceLoad \
        127.0.0.1:$KAFKA_PORT "$1" "$RECORDS" 1024 | sed -n 's/^produce_MiBps=//p'
}
open_overview() { # what an open Overview tab asks for, once a second
    while true; do
        curl -sf -o /dev/null "$base/console"
        curl -sf -o /dev/null "$base/console/api/traffic?minutes=15"
        sleep 1
    done
}
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m}'; }

produce warmup >/dev/null
without=(); with=()
for round in $(seq 1 "$ROUNDS"); do
    without+=("$(produce "plain-$round")")
    open_overview & browser_pid=$!
    with+=("$(produce "watched-$round")")
    kill "$browser_pid"; wait "$browser_pid" 2>/dev/null || true; browser_pid=""
    echo "round $round: without console ${without[-1]} MiB/s, with Overview open ${with[-1]} MiB/s" >&2
done
m_without=$(printf '%s\n' "${without[@]}" | median)
m_with=$(printf '%s\n' "${with[@]}" | median)
echo "produce_without_console_MiBps=$m_without"
echo "produce_with_overview_open_MiBps=$m_with"
python3 -c "print('ratio_with_to_without=%.3f' % ($m_with / $m_without))"

# Page loads under produce load: the producer in the background, 20 loads of each page.
timeout 300 java -Xmx512m -cp "$cp" io.tributary.broker.admin.console.bench.ProduceLoad \
    127.0.0.1:$KAFKA_PORT "plain-1" "$((RECORDS * 2))" 1024 >/dev/null &
load_pid=$!
sleep 2
page_times() { for _ in $(seq 1 20); do curl -sf -o /dev/null -w '%{time_total}\n' "$1"; done; }
overview=$(page_times "$base/console" | awk '{print $1*1000}' | median)
messages=$(page_times "$base/console/topics/plain-1/messages?partition=0&from=newest&limit=100" | awk '{print $1*1000}' | median)
kill "$load_pid" 2>/dev/null; wait "$load_pid" 2>/dev/null || true
echo "page_overview_ms=$overview"
echo "page_messages_100_ms=$messages"
