#!/usr/bin/env bash
# The authorizer on the request path (JMH): one authorize() among 10,000 ACLs, most of them
# prefixed, for a topic a literal ACL, only prefixed ACLs, or no ACL matches; prints ns/op each.
# Usage, from the repository root: platform-broker/bench/acl-bench.sh [extra JMH options, e.g. -wi 1 -i 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

./mvnw -q -B -pl platform-broker test-compile dependency:build-classpath \
    -Dmdep.outputFile="$out/classpath" -Dmdep.includeScope=test
cp="platform-broker/target/test-classes:platform-broker/target/classes:$(cat "$out/classpath")"

java -cp "$cp" org.openjdk.jmh.Main 'io.tributary.broker.security.acl.bench.*' -rf json -rff "$out/jmh.json" "$@" >&2

python3 - "$out/jmh.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    m = r["primaryMetric"]
    print(f"authorize_{r['params']['match']}_ns_per_op={m['score']:.0f} (±{m['scoreError']:.0f})")
PY
