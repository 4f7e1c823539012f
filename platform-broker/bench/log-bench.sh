#!/usr/bin/env bash
# Log engine benchmarks (JMH) beside the physical limit of the same file system, in one run:
#   dd if=/dev/zero bs=1M count=2048 into BENCH_DIR   -> page-cache write bandwidth
#   LogAppendBenchmark (1 KiB records, 16/64 KiB batches, no fsync) and LogReadBenchmark
# Prints each figure in MiB/s and the append/dd ratio. Usage, from the repository root:
#   platform-broker/bench/log-bench.sh [extra JMH options, e.g. -wi 1 -i 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp}
out=$(mktemp -d)
trap 'rm -rf "$out" "$BENCH_DIR/tributary-dd-bench"' EXIT

./mvnw -q -B -pl platform-broker test-compile dependency:build-classpath \
    -Dmdep.outputFile="$out/classpath" -Dmdep.includeScope=test
cp="platform-broker/target/test-classes:platform-broker/target/classes:$(cat "$out/classpath")"

dd_line=$(dd if=/dev/zero of="$BENCH_DIR/tributary-dd-bench" bs=1M count=2048 2>&1 | tail -1)
rm -f "$BENCH_DIR/tributary-dd-bench"
dd_mibps=$(python3 -c 'import re,sys; m=re.match(r"(\d+) bytes .* copied, ([\d.]+) s", sys.argv[1]); print("%.0f" % (int(m.group(1))/float(m.group(2))/2**20))' "$dd_line")

java -Dbench.dir="$BENCH_DIR" -cp "$cp" org.openjdk.jmh.Main 'io.tributary.broker.log.bench.*' \
    -rf json -rff "$out/jmh.json" "$@" >&2

python3 - "$out/jmh.json" "$dd_mibps" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))
dd = float(sys.argv[2])
print(f"dd_page_cache_write_MiBps={dd:.0f}")
for r in results:
    name = r["benchmark"].rsplit(".", 2)[-2]
    batch = int(r["params"]["batchBytes"])
    ops = r["primaryMetric"]["score"]
    per_op = batch if name == "LogAppendBenchmark" else 1024 * 1024
    mibps = ops * per_op / 2**20
    line = f"{name}_batch{batch // 1024}KiB_MiBps={mibps:.0f}"
    if name == "LogAppendBenchmark":
        line += f" ratio_to_dd={mibps / dd:.2f}"
    print(line)
PY
