#!/usr/bin/env bash
# Issue 14, Redis Cluster against one Redis, in the same run: heartbeats/s an entrance answers (bench/heartbeat's
# Heartbeats.java, a short ramp) and redirects/s a publisher answers (bench/redirect/run.sh, a short run), once with one
# Redis and once with a Redis Cluster of three masters and three replicas, all on this machine's loopback.
# Usage: bench/cluster/run.sh [STEPS] [SECONDS]
#        (defaults: 500,1000,2000 boxes heartbeating every second, i.e. that many EXCHANGE/s; 10 s measured per step
#        and per redirect run)
# Needs: redis-server and redis-cli on PATH (Debian: apt-get install redis-server), wrk and nginx (for the redirects,
# as bench/redirect/run.sh), curl, unzip, python3, and `ulimit -n` above the largest step.
# Environment:
#   BENCH_NO_BUILD=1     use the jars as they are (else ./mvnw -B -q -o package -DskipTests first)
#   WARMUP=10            seconds of load before the first step of each ramp, and of wrk before each redirect run
#   PERIOD=1             seconds between two heartbeats of one box
#   ENTRANCE_HEAP=256m   the entrance's -Xmx (the launcher's)
# Every Redis here persists as ./dandelion up's does (append-only, fsync every second); the cluster's nodes get
# cluster-node-timeout 5000. The entrance is started as bench/heartbeat/run.sh starts it (strict security, every limit
# at its default), with REDIS_HOST/REDIS_PORT or with REDIS_CLUSTER_NODES; the redirect runs start the launcher's
# network (./dandelion up) on its own Redis, then on the cluster (REDIS_URL names one cluster node for the launcher's
# PING, DANDELION_REDIS_CLUSTER_NODES points every service at the cluster). The CPU columns name the Redis process
# that holds the entrance's keys: on the cluster, the master of its slot. Prints both ramps, then one table.
# Everything it started is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
ROOT=$PWD
STEPS=${1:-500,1000,2000}
SECONDS_PER_STEP=${2:-10}
WARMUP=${WARMUP:-10}
PERIOD=${PERIOD:-1}
ENTRANCE_HEAP=${ENTRANCE_HEAP:-256m}
RUN="$ROOT/target/bench-cluster"

for tool in redis-server redis-cli curl unzip python3 wrk nginx; do
	command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
largest=$(tr ',' '\n' <<<"$STEPS" | sort -n | tail -1)
if [ "$(ulimit -n)" -le $((largest + 500)) ]; then
	echo "ulimit -n is $(ulimit -n): too few file descriptors for $largest connections" >&2
	exit 1
fi

work=$(mktemp -d)
pids=()
entrance_pid=""
stop() {
	local pid="$1"
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
}
cleanup() {
	stop "$entrance_pid"
	for pid in ${pids[@]+"${pids[@]}"}; do stop "$pid"; done
	rm -rf "$work"
}
trap cleanup EXIT

build_jars "$work/build.log" -o package -DskipTests
JAR="$ROOT/entrance-service/target/entrance-service-exec.jar"
mkdir -p "$work/lib"
(cd "$work/lib" && unzip -q -j "$JAR" 'BOOT-INF/lib/*')
machine="$(nproc) cores, $(java -version 2>&1 | head -1 | sed 's/"//g')"
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench' ':!docs' 2>/dev/null || echo '+dirty')
rm -rf "$RUN"
mkdir -p "$RUN"

# redis_node DIR PORT [OPTIONS...]: a redis-server on 127.0.0.1:PORT persisting into DIR; its PID appended to pids
redis_node() {
	local dir="$1" port="$2"
	shift 2
	mkdir -p "$dir"
	redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly yes --appendfsync everysec --dir "$dir" "$@" \
		>"$dir/redis.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
	echo "redis-server on port $port did not start:" >&2
	tail -5 "$dir/redis.log" >&2
	exit 1
}

single_port=$(free_port)
redis_node "$RUN/single" "$single_port"
single_pid=${pids[-1]}
cluster_ports=()
for _ in 1 2 3 4 5 6; do
	# The cluster bus listens on port + 10000
	while :; do
		port=$(python3 -c 'import random; print(random.randint(20000, 30000))')
		python3 -c "import socket,sys
for p in ($port, $port + 10000):
    s = socket.socket(); s.bind(('127.0.0.1', p)); s.close()" 2>/dev/null && break
	done
	redis_node "$RUN/cluster/$port" "$port" --cluster-enabled yes --cluster-config-file nodes.conf \
		--cluster-node-timeout 5000
	cluster_ports+=("$port")
done
nodes=$(printf '127.0.0.1:%s,' "${cluster_ports[@]}")
nodes=${nodes%,}
redis-cli --cluster create $(tr ',' ' ' <<<"$nodes") --cluster-replicas 1 --cluster-yes >"$RUN/cluster-create.log" 2>&1 ||
	{ cat "$RUN/cluster-create.log" >&2; exit 1; }
for _ in $(seq 1 100); do
	ok=0
	for port in "${cluster_ports[@]}"; do
		redis-cli -p "$port" cluster info | grep -q cluster_state:ok && ok=$((ok + 1))
	done
	[ "$ok" = 6 ] && break
	sleep 0.2
done
[ "$ok" = 6 ] || { echo "the cluster is not ok" >&2; exit 1; }
echo "One Redis on $single_port (pid $single_pid); cluster $nodes" >&2

# pid_of_port PORT: the PID of the redis-server started here on PORT
pid_of_port() {
	local i=0 port
	for port in "$single_port" "${cluster_ports[@]}"; do
		[ "$port" = "$1" ] && { echo "${pids[$i]}"; return; }
		i=$((i + 1))
	done
}

# heartbeats MODE: an entrance on one Redis (single) or on the cluster (cluster), ramped; the rows into $work/MODE.txt
heartbeats() {
	local mode="$1" dir="$RUN/entrance-$1" entrance_port redis_pid
	mkdir -p "$dir"
	entrance_port=$(free_port)
	head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$dir/admin-token"
	{
		if [ "$mode" = single ]; then
			printf 'REDIS_HOST: 127.0.0.1\nREDIS_PORT: %s\n' "$single_port"
		else
			printf 'REDIS_CLUSTER_NODES: [%s]\n' "$nodes"
		fi
		printf "BASE_DIRECTORY: '%s'\nENTRANCE_IP: 127.0.0.1\nENTRANCE_PORT: %s\nSECURITY_MODE: strict\n" "$dir" "$entrance_port"
		printf "ENTRANCE_ADMIN_TOKEN: '%s'\n" "$(cat "$dir/admin-token")"
	} >"$dir/entrance-config.yaml"
	java -Xmx"$ENTRANCE_HEAP" -jar "$JAR" --config="$dir/entrance-config.yaml" --server.address=127.0.0.1 \
		>"$dir/entrance.log" 2>&1 &
	entrance_pid=$!
	for _ in $(seq 1 240); do
		case "$(curl -s "http://127.0.0.1:$entrance_port/dandelion/" || true)" in HI\ entrance-*) break ;; esac
		kill -0 "$entrance_pid" 2>/dev/null || { tail -30 "$dir/entrance.log" >&2; exit 1; }
		sleep 0.5
	done
	redis_pid=$single_pid
	if [ "$mode" = cluster ]; then
		local id slot master
		id=$(cat "$dir/entrance-id.txt")
		slot=$(redis-cli -p "${cluster_ports[0]}" cluster keyslot "{$id}:BOX_SET")
		master=$(redis-cli -p "${cluster_ports[0]}" cluster nodes | awk -v slot="$slot" '$3 ~ /master/ {
			for (i = 9; i <= NF; i++) { split($i, r, "-"); if (slot >= r[1] && slot <= (r[2] == "" ? r[1] : r[2])) print $2 } }' |
			sed 's/.*:\([0-9]*\)@.*/\1/')
		redis_pid=$(pid_of_port "$master")
		echo "The entrance's keys ({$id}, slot $slot) are on the master at port $master (pid $redis_pid)" >&2
	fi
	echo "Heartbeats, $mode: load before $(cut -d' ' -f1-3 /proc/loadavg)" >&2
	java -Xmx1g -XX:+UseParallelGC -Dperiod="$PERIOD" -Dwarmup="$WARMUP" -cp "$work/lib/*" \
		bench/heartbeat/Heartbeats.java "http://127.0.0.1:$entrance_port" "$dir/admin-token" "$STEPS" \
		"$SECONDS_PER_STEP" "entrance=$entrance_pid,redis=$redis_pid" | tee "$work/$mode.txt"
	stop "$entrance_pid"
	entrance_pid=""
}

# redirects MODE: bench/redirect/run.sh's median row (one run of SECONDS) on the launcher's Redis or on the cluster
redirects() {
	local mode="$1"
	echo "Redirects, $mode: load before $(cut -d' ' -f1-3 /proc/loadavg)" >&2
	if [ "$mode" = single ]; then
		BENCH_NO_BUILD=1 WARMUP="$WARMUP" bench/redirect/run.sh "$SECONDS_PER_STEP" 1 | tee "$work/redirect-$mode.txt"
	else
		REDIS_URL="redis://127.0.0.1:${cluster_ports[0]}" DANDELION_REDIS_CLUSTER_NODES="$nodes" BENCH_NO_BUILD=1 \
			WARMUP="$WARMUP" bench/redirect/run.sh "$SECONDS_PER_STEP" 1 | tee "$work/redirect-$mode.txt"
		grep -q 'REDIS_CLUSTER_NODES is set by environment variable' "$ROOT/target/bench-run/logs/publisher.log" ||
			{ echo "the publisher did not use the cluster" >&2; exit 1; }
	fi
}

started=$(date -u +%H:%M)
heartbeats single
heartbeats cluster
redirects single
redirects cluster
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| Redis ($started UTC, $machine, $commit) | EXCHANGE/s at p99 < 100 ms | top step: EXCHANGE/s replied, p50 / p99 ms, errors | redirects/s (p50 / p99 ms) | nginx 302/s |"
echo "|---|---|---|---|---|"
for mode in single cluster; do
	python3 - "$mode" "$work/$mode.txt" "$work/redirect-$mode.txt" "$PERIOD" <<'EOF'
import sys
mode, ramp, redirect, period = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
rows = [l.split('|')[1:-1] for l in open(ramp) if l.startswith('| ') and l[2].isdigit()]
capacity = next((l.split()[1] for l in open(ramp) if l.startswith('CAPACITY')), '?')
top = [c.strip() for c in rows[-1]] if rows else ['?'] * 9
median = next(([c.strip() for c in l.split('|')[1:-1]] for l in open(redirect) if l.startswith('| median')), None)
name = 'one Redis' if mode == 'single' else 'Redis Cluster, 3 masters + 3 replicas'
rate = f"{int(capacity) / period:,.0f}" if capacity.isdigit() else capacity
# One run: its median cell is "value (min–max)"; keep the value
first = lambda cell: ' / '.join(part.split()[0] for part in cell.split(' / '))
redirects = f"{first(median[1])} ({first(median[4])})" if median else '?'
nginx = first(median[2]) if median else '?'
print(f"| {name} | {rate} | {top[4]}, {top[5]} / {top[6]}, {top[8]} | {redirects} | {nginx} |")
EOF
done
