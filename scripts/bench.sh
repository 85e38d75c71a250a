#!/usr/bin/env bash
# Builds the benchmark jar and runs the benchmark suite: every benchmark one after another, each
# in a JVM of its own, then a Markdown report with every table and chart in DIR/REPORT.md.
# Usage: scripts/bench.sh [--quick] [--out DIR] [--only a,b,...] [--kafka HOST:PORT]
# (default DIR: bench-report; --quick: small sizes, a smoke run of the whole suite).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl sluice-bench -am package -DskipTests
exec java -jar sluice-bench/target/sluice-bench.jar suite "$@"
