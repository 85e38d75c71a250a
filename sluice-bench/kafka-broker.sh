#!/usr/bin/env bash
# Starts a one-node KRaft Kafka broker in a JVM of its own on 127.0.0.1:${1:-19092}, for
# `java -jar sluice-bench/target/sluice-bench.jar kafka 127.0.0.1:19092`. The broker's jars are
# the Maven artifacts sluice-kafka's tests use; its data lives in a fresh temp directory.
# Stop it with Ctrl-C (or kill its pid).
set -euo pipefail
port="${1:-19092}"
cd "$(dirname "$0")/.."
cp_file="$(mktemp)"
mvn -q -B -pl sluice-kafka dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
cp="$(cat "$cp_file")"
dir="$(mktemp -d)"
cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$((port + 1))
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:$((port + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${dir}/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
java -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid)" \
  -c "$dir/server.properties" --standalone >/dev/null
echo "Kafka broker on 127.0.0.1:${port} (data in ${dir})"
exec java -Xmx1g -cp "$cp" kafka.Kafka "$dir/server.properties"
