#!/usr/bin/env bash
# A standalone Spark cluster on this machine, running `newsdesk spark`.
#
# Starts a master and two workers as separate processes with pyspark's own
# `spark-class` (org.apache.spark.deploy.master.Master, ...deploy.worker.Worker),
# waits until both workers have registered, runs `newsdesk spark --once` against
# the master with the arguments given here, and stops the three processes.
#
#   benchmarks/spark_cluster.sh --workdir DIR            # DIR/inbox -> DIR/output/spark
#   CORES=1 MEMORY=2g PORT=7077 benchmarks/spark_cluster.sh --workdir DIR --inbox OTHER
#
# PYTHON is the Python with newsdesk and the spark extra installed (default: .venv's).
# With `--print-master` as the only argument, it starts the cluster, prints the master
# URL and waits until interrupted (for spark_bench.py --cluster).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-$PWD/.venv/bin/python}
PORT=${PORT:-7077}
CORES=${CORES:-1}
MEMORY=${MEMORY:-2g}
SPARK_HOME=$("$PYTHON" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
export SPARK_HOME PYSPARK_PYTHON="$PYTHON" SPARK_LOCAL_IP=127.0.0.1
MASTER="spark://127.0.0.1:$PORT"
LOGS=$(mktemp -d -t newsdesk-spark-cluster-XXXXXX)
PIDS=()

stop() {
    for pid in "${PIDS[@]}" $(jobs -p); do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT
trap 'exit 143' TERM INT

wait_for() {  # wait_for FILE TEXT: until FILE holds TEXT (60 s at most)
    for _ in $(seq 600); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "spark_cluster.sh: '$2' not in $1 after 60 s:" >&2
    tail -20 "$1" >&2
    exit 1
}

"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$PORT" --webui-port 0 >"$LOGS/master.log" 2>&1 &
PIDS+=($!)
wait_for "$LOGS/master.log" "I have been elected leader"
for n in 1 2; do
    mkdir -p "$LOGS/worker-$n"
    "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --cores "$CORES" --memory "$MEMORY" --webui-port 0 \
        --work-dir "$LOGS/worker-$n" "$MASTER" >"$LOGS/worker-$n.log" 2>&1 &
    PIDS+=($!)
done
wait_for "$LOGS/worker-1.log" "Successfully registered with master"
wait_for "$LOGS/worker-2.log" "Successfully registered with master"
echo "spark_cluster.sh: master $MASTER, 2 workers x $CORES core(s), logs in $LOGS" >&2

if [ "${1:-}" = "--print-master" ]; then
    echo "$MASTER"
    while true; do sleep 3600 & wait $!; done
fi
"$PYTHON" -m newsdesk spark --master "$MASTER" --once "$@"
