#!/usr/bin/env bash
# Start-up time of one broker with an empty data directory: from the launch of the JVM until the broker first
# answers a Kafka ApiVersions request on its port (polled every 50 ms, as Kafka's perf anchor measures it), and for
# Tributary also until its HTTP side first answers (/actuator/health). Each round starts every variant once, in
# turns, on a fresh data directory; the order is reversed every other round so that a busy moment of a shared
# machine does not always fall on the same one.
#
# Variants: "tributary" (java -jar on the executable jar, as the README starts it), and optionally
#   - "baseline": BENCH_BASELINE_JAR, another executable jar (e.g. one built from main) for an A/B of a change, and/or
#     BENCH_BASELINE_JAVA_OPTS, JVM options only the baseline gets (an A/B of a JVM option on the same jar);
#   - "tributary_extracted" and "tributary_cds": BENCH_CDS=1, the same jar extracted (java -Djarmode=tools ... extract),
#     started as it is, and with a CDS archive from a training run (-XX:ArchiveClassesAtExit,
#     -Dspring.context.exit=onRefresh) made before the rounds;
#   - "kafka": KAFKA_LIBS (a folder of Apache Kafka 4.1's jars and Log4j 2), one KRaft node (broker and controller)
#     with the heap and G1 flags of kafka-server-start.sh; its storage is formatted before the clock starts.
#
# Usage, from the repository root, after ./mvnw -pl platform-broker package -DskipTests:
#   [KAFKA_LIBS=/path/to/kafka/libs] [BENCH_CDS=1] [BENCH_BASELINE_JAR=old-exec.jar] [BENCH_BASELINE_JAVA_OPTS=...] \
#       platform-broker/bench/startup-bench.sh [ROUNDS]
# Env: BENCH_PORT (29492; +1 Kafka's controller), BENCH_HTTP_PORT (29480),
#      TRIBUTARY_JAVA_OPTS (more JVM options for Tributary, e.g. -XX:StartFlightRecording=filename=/tmp/t.jfr).
# Prints VARIANT.FIGURE=value per round, then the median, fastest and slowest of each with every round's value, and
# the ratios to Kafka; the load average at the start and end on stderr. Figures: startup_ms, to the first ApiVersions
# answer; startup_cpu_ms, the CPU time the JVM had used by then (all threads; a busy machine disturbs it less than
# the wall time); bound_ms, to the log line of the bound listener; http_ms, to the first HTTP answer.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-5}
PORT=${BENCH_PORT:-29492}
HTTP_PORT=${BENCH_HTTP_PORT:-29480}
jar=$(ls platform-broker/target/platform-broker-*-exec.jar)
work=$(mktemp -d /tmp/startup-bench.XXXX)
broker_pid=""
trap '[ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

no_tools_cp=1
# shellcheck source=bench-lib.sh
source platform-broker/bench/bench-lib.sh

now_ms() { date +%s%3N; }
cpu_ms() { # PID: the CPU time (user and system, all threads) the process has used so far, in ms
    awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"
}

launch_java_tributary() { # DATA_DIR JAR [JVM options...]: Tributary as a user starts it, in the background
    local data=$1 app=$2
    shift 2
    java -Xmx1G -Xms1G "$@" ${TRIBUTARY_JAVA_OPTS:-} -jar "$app" "--tributary.broker.data-dir=$data" \
        "--tributary.broker.listeners=PLAINTEXT://127.0.0.1:$PORT" "--server.port=$HTTP_PORT" > "$data.out" 2>&1 &
    broker_pid=$!
}
launch_tributary() { launch_java_tributary "$1" "$jar"; }
launch_baseline() { launch_java_tributary "$1" "${BENCH_BASELINE_JAR:-$jar}" ${BENCH_BASELINE_JAVA_OPTS:-}; }
launch_tributary_extracted() { launch_java_tributary "$1" "$cds_jar"; }
launch_tributary_cds() { launch_java_tributary "$1" "$cds_jar" "-XX:SharedArchiveFile=$work/cds/app.jsa"; }

prepare_cds() { # the documented steps: extract the jar, then one training run that writes the archive
    java -Djarmode=tools -jar "$jar" extract --destination "$work/cds" > "$work/cds-extract.log"
    cds_jar="$work/cds/$(basename "$jar")"
    java -Xmx1G -XX:ArchiveClassesAtExit="$work/cds/app.jsa" -Dspring.context.exit=onRefresh -jar "$cds_jar" \
        "--tributary.broker.data-dir=$work/cds-training" --tributary.broker.port=0 --server.port=0 \
        > "$work/cds-training.log" 2>&1 || true
    [ -s "$work/cds/app.jsa" ] || { cat "$work/cds-training.log" >&2; echo "no CDS archive written" >&2; exit 1; }
}

measure() { # VARIANT ROUND: prints VARIANT.FIGURE=value lines
    local name=$1 round=$2 data="$work/$1-$2" t0 ready="" cpu=""
    [ "$name" = kafka ] && format_kafka "$data"
    if kafka_ping "$PORT"; then echo "127.0.0.1:$PORT answers before $name was started" >&2; exit 1; fi
    t0=$(now_ms)
    "launch_$name" "$data"
    while [ -z "$ready" ]; do
        kill -0 "$broker_pid" 2>/dev/null || { echo "$name exited during start-up: $(tail -n 20 "$data.out")" >&2; exit 1; }
        if kafka_ping "$PORT"; then ready=$(( $(now_ms) - t0 )); cpu=$(cpu_ms "$broker_pid"); break; fi
        [ $(( $(now_ms) - t0 )) -lt 180000 ] || { echo "$name did not answer within 180 s" >&2; exit 1; }
        sleep 0.05
    done
    echo "$name.startup_ms=$ready"
    echo "$name.startup_cpu_ms=$cpu"
    if [ "$name" != kafka ]; then
        local bound # when the listener was bound, from its log line (UTC, ms)
        bound=$(sed -n 's/^\([0-9-]*T[0-9:.]*Z\) .*Kafka listener .* on .*/\1/p' "$data.out" | head -n 1)
        [ -n "$bound" ] && echo "$name.bound_ms=$(( $(date -d "$bound" +%s%3N) - t0 ))"
        while ! curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/actuator/health"; do
            [ $(( $(now_ms) - t0 )) -lt 180000 ] || { echo "$name's HTTP side did not answer within 180 s" >&2; exit 1; }
            sleep 0.05
        done
        echo "$name.http_ms=$(( $(now_ms) - t0 ))"
    fi
    stop_broker
    rm -rf "$data"
}

variants=(tributary)
[ -n "${BENCH_BASELINE_JAR:-}${BENCH_BASELINE_JAVA_OPTS:-}" ] && variants+=(baseline)
if [ "${BENCH_CDS:-0}" = 1 ]; then prepare_cds; variants+=(tributary_extracted tributary_cds); fi
[ -n "${KAFKA_LIBS:-}" ] && variants+=(kafka)
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
for round in $(seq 1 "$ROUNDS"); do
    order=("${variants[@]}")
    if [ $((round % 2)) = 0 ]; then
        order=()
        for ((i = ${#variants[@]} - 1; i >= 0; i--)); do order+=("${variants[i]}"); done
    fi
    for variant in "${order[@]}"; do
        echo "round $round: $variant" >&2
        measure "$variant" "$round" | tee -a "$work/figures"
    done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
python3 - "$work/figures" <<'PY'
import statistics, sys
from collections import defaultdict
values = defaultdict(list)
for line in open(sys.argv[1]):
    key, _, value = line.strip().partition("=")
    values[key].append(float(value))
medians = {key: statistics.median(v) for key, v in values.items()}
for key in sorted(values):
    v = values[key]
    print(f"median.{key}={medians[key]:g} (min-max {min(v):g}-{max(v):g}; rounds: {' '.join(f'{x:g}' for x in v)})")
for key in sorted(medians):
    variant, figure = key.split(".", 1)
    if variant != "kafka" and figure.startswith("startup") and medians.get(f"kafka.{figure}"):
        print(f"ratio.{variant}/kafka.{figure}={medians[key] / medians[f'kafka.{figure}']:.2f}")
PY
