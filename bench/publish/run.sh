#!/usr/bin/env bash
# P1, publish throughput: 1 MiB segments from publisher(s) to boxes, each stored, SHA-256-verified and acknowledged,
# against the physical limit of the same bytes measured in the same run.
# Usage: bench/publish/run.sh [SEGMENTS] [RUNS] [CONFIGURATIONS]
#   SEGMENTS         1 MiB segments per run, shared evenly by the publishers (default 200)
#   RUNS             runs per configuration (default 3)
#   CONFIGURATIONS   boxes×publishers, e.g. "1x1 4x1 1x4 4x4" (the default)
# Needs: nginx, redis-cli's machine Redis is not used (the launcher starts its own), python3, curl, dd, sha256sum.
# Environment:
#   BENCH_NO_BUILD=1   use the jars as they are (else ./mvnw -B -q package -DskipTests first)
#   REPLICAS=1         PUBLISH_REPLICAS of every publisher: boxes each segment is stored on (acked bytes count every
#                      replica); with 1, "4 boxes" means each segment goes to one of the 4
#   PARALLEL=4         keep-alive connections of the baseline's POST client
#   RUN_TIMEOUT=120    seconds one run may take before it is cut short (its row then says how many were acked)
#   BENCH_JFR=DIR      after the measured runs of each configuration, one more run (not in the table: JFR slows the
#                      JVMs) recording the first publisher and box-1 with JFR (profile settings) into
#                      DIR/p1-BxP-publisher.jfr and DIR/p1-BxP-box.jfr (summarise with bench/jfr-hot.py)
# For each configuration it starts the network with the launcher in its own run directory (target/bench-publish:
# Redis, an entrance, B boxes, a publisher; strict security), stops the demo stream, and starts P-1 more publishers
# itself (each with its own directory, port, ID and credential from the entrance's admin API). Every part runs with
# -Dpublisher.publish.replicas=REPLICAS, the publishers taking local files from target/bench-publish/segments
# (publisher.allowed-roots) and the boxes' stores raised to 8 GB (the launcher's 256 MB would refuse the runs).
# Each run writes SEGMENTS fresh random 1 MiB files (then sync, so write-back does not overlap the run), queues them
# all at once on the publishers' Redis queues (the original FileManager's format, one pipelined write) and times
# until every publisher's queue and processing list are empty: a task leaves the processing list only once its file
# is recorded stored on REPLICAS boxes (or failed). Then checks each file's state and replicas in Redis.
# Baseline in the same run: the same files POSTed over loopback to an Nginx that reads and discards the body
# (return 204; its access log's $request_length proves it read them), sha256sum of them once, and dd writing as many
# MiB with one fsync each (oflag=dsync) into box-1's store directory; the per-MiB times add up to the combined limit
# 1 / (1/net + 1/hash + 1/fsync). CPU of the publishers, the boxes and Redis is read from /proc/<pid>/stat.
# Prints a Markdown row per run, and per configuration one with the medians and the spread (min–max).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
ROOT=$PWD
SEGMENTS=${1:-200}
RUNS=${2:-3}
CONFIGURATIONS=${3:-1x1 4x1 1x4 4x4}
REPLICAS=${REPLICAS:-1}
PARALLEL=${PARALLEL:-4}
RUN_TIMEOUT=${RUN_TIMEOUT:-120}
export DANDELION_RUN_DIR="$ROOT/target/bench-publish"
# The shared machine can take minutes to start a network
export DANDELION_HEALTH_TIMEOUT=${DANDELION_HEALTH_TIMEOUT:-600}
RUN=$DANDELION_RUN_DIR
SEGMENT_ROOT=$RUN/segments
PUBLISHER_JAR=$ROOT/publisher-service/target/publisher-service-exec.jar

NGINX=$(command -v nginx || true)
[ -n "$NGINX" ] || { echo "nginx is missing (apt-get install nginx)" >&2; exit 1; }
for configuration in $CONFIGURATIONS; do
	[[ "$configuration" =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || { echo "a configuration is BOXESxPUBLISHERS, not $configuration" >&2; exit 2; }
done

work=$(mktemp -d)
nginx_pid=""
extra_pids=()
network_up=no
stop_extra_publishers() {
	local pid
	for pid in ${extra_pids[@]+"${extra_pids[@]}"}; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in ${extra_pids[@]+"${extra_pids[@]}"}; do
		wait "$pid" 2>/dev/null || true
	done
	extra_pids=()
}
network_down() {
	stop_extra_publishers
	if [ "$network_up" = yes ]; then
		./dandelion down >"$work/down.log" 2>&1 || cat "$work/down.log" >&2
		network_up=no
	fi
	# The stores and segments: up to a few GB per configuration
	rm -rf "$SEGMENT_ROOT" "$RUN"/box-*/publisher-* "$RUN"/publisher-*/
}
cleanup() {
	if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
		kill -QUIT "$nginx_pid" 2>/dev/null || true
		wait "$nginx_pid" 2>/dev/null || true
	fi
	network_down
	rm -rf "$work"
}
trap cleanup EXIT

build_jars "$work/build.log"


# The baseline's body sink: `return 204` makes nginx read each body off the socket and discard it (in 4 KiB reads). The
# client sends its requests back to back on PARALLEL keep-alive connections, so nginx parsed each next request only
# after it had read the body before it; the access log (connection number, status) lets the script check that every
# request was answered 204 on PARALLEL connections, none closed early.
nginx_port=$(free_port)
mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
	log_format sink "\$connection \$status";
	access_log $work/nginx/logs/access.log sink;
	client_max_body_size 2m;
	client_body_temp_path $work/nginx/body;
	proxy_temp_path $work/nginx/proxy;
	fastcgi_temp_path $work/nginx/fastcgi;
	uwsgi_temp_path $work/nginx/uwsgi;
	scgi_temp_path $work/nginx/scgi;
	server {
		listen 127.0.0.1:$nginx_port;
		location / { return 204; }
	}
}
EOF
start_nginx "$work/nginx" "$nginx_port" 204
nginx_pid=$NGINX_PID

TICKS=$(getconf CLK_TCK)
# cpu_ms_per_mib TICKS MIB: CPU milliseconds per MiB acknowledged
cpu_ms_per_mib() { python3 -c "print(round($1 / $TICKS * 1000 / max($2, 1e-9), 2))"; }

# start_extra_publisher N: publisher N (2, 3, …) in $RUN/publisher-N with its own port, ID and credential
start_extra_publisher() {
	local n="$1" dir="$RUN/publisher-$1" port id answer credential redis_url redis_port entrance
	mkdir -p "$dir"
	port=$(free_port)
	id="publisher-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
	entrance=$(sed 's:/dandelion/$::' "$RUN/pids/entrance.url")
	answer=$(curl -fsS -X PUT -H "Authorization: Bearer $(cat "$RUN/secrets/admin-token")" \
		-H 'Content-Type: application/json' "$entrance/dandelion/api/v1/credentials/$id")
	credential=$(printf '%s' "$answer" | sed -n 's/.*"CREDENTIAL":"\([^"]*\)".*/\1/p')
	[ -n "$credential" ] || { echo "no credential for $id: $answer" >&2; return 1; }
	redis_url=$(cat "$RUN/pids/redis.url")
	redis_port=${redis_url##*:}
	cat >"$dir/config.yaml" <<EOF
# Written by bench/publish/run.sh: like the launcher's publisher, without a watch directory
REDIS_HOST: '127.0.0.1'
REDIS_PORT: $redis_port
DB: 0
BASE_DIRECTORY: '$dir'
ENTRANCE_URLS:
  - ws://127.0.0.1:${entrance##*:}/dandelion/ws/
PUBLISHER_IP: 127.0.0.1
PUBLISHER_PORT: $port
SECURITY_MODE: strict
CREDENTIAL: '$credential'
PUBLISHER_API_TOKEN: '$(cat "$RUN/secrets/api-token")'
EOF
	# shellcheck disable=SC2086 # DANDELION_JAVA_OPTS is a list of options
	(cd "$dir" && exec java -Xmx256m $DANDELION_JAVA_OPTS -jar "$PUBLISHER_JAR" "--config=$dir/config.yaml" \
		--server.address=127.0.0.1 >"$dir/publisher.log" 2>&1 </dev/null) &
	extra_pids+=($!)
	printf '%s %s %s\n' "$!" "$id" "$port" >"$dir/started"
}

# await_publisher PORT PID: until the publisher answers its health page
await_publisher() {
	local port="$1" pid="$2"
	for _ in $(seq 1 240); do
		[[ "$(curl -fsS --max-time 2 "http://127.0.0.1:$port/actuator/health" 2>/dev/null)" == *'"status":"UP"'* ]] && return 0
		kill -0 "$pid" 2>/dev/null || { echo "publisher $pid exited" >&2; return 1; }
		sleep 0.5
	done
	echo "publisher on port $port not healthy" >&2
	return 1
}

# await_boxes PORT COUNT: until the publisher's pool has COUNT boxes with a READY connection
await_boxes() {
	local port="$1" count="$2" ready
	for _ in $(seq 1 240); do
		ready=$(curl -fsS --max-time 2 "http://127.0.0.1:$port/api/v1/boxes" 2>/dev/null | grep -o '"connection":"READY"' | wc -l || true)
		[ "$ready" -ge "$count" ] && return 0
		sleep 0.5
	done
	echo "the publisher on port $port has $ready of $count boxes ready" >&2
	return 1
}

machine="$(nproc) cores, $(java -version 2>&1 | head -1 | sed 's/"//g')"
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench' ':!docs' 2>/dev/null || echo '+dirty')
echo "| configuration | run | acked MiB/s | acked MiB (replicas) in s | failed | net MiB/s | sha256 MiB/s | fsync MiB/s | combined limit MiB/s | ratio | CPU ms/MiB: publishers / boxes / Redis | load average |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
: >"$work/summary"
for configuration in $CONFIGURATIONS; do
	boxes=${configuration%x*}
	publishers=${configuration#*x}
	network_down
	rm -rf "$RUN"
	mkdir -p "$RUN" "$SEGMENT_ROOT"
	# System properties outrank the launcher's config files (service-support's config source comes after them)
	export DANDELION_JAVA_OPTS="${DANDELION_JAVA_OPTS_BASE:-} -Dpublisher.publish.replicas=$REPLICAS \
-Dpublisher.allowed-roots=$SEGMENT_ROOT -Dbox.store.max-storage=8GB -Dbox.store.max-storage-per-publisher=8GB"
	network_up=yes
	./dandelion up --boxes "$boxes" --no-build >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; exit 1; }
	if [ -f "$RUN/pids/demo.pid" ]; then
		demo_pid=$(cat "$RUN/pids/demo.pid")
		if ps -o args= -p "$demo_pid" 2>/dev/null | grep -qF "$(cat "$RUN/pids/demo.marker")"; then
			kill "$demo_pid" 2>/dev/null || true
		fi
	fi
	publisher_pids=("$(cat "$RUN/pids/publisher.pid")")
	publisher_ids=("$(tr -d '[:space:]' <"$RUN/publisher/publisher-id.txt")")
	publisher_ports=("$(sed 's|.*:\([0-9]*\)/dandelion/$|\1|' "$RUN/pids/publisher.url")")
	for ((n = 2; n <= publishers; n++)); do
		start_extra_publisher "$n"
	done
	for ((n = 2; n <= publishers; n++)); do
		read -r pid id port <"$RUN/publisher-$n/started"
		await_publisher "$port" "$pid"
		publisher_pids+=("$pid")
		publisher_ids+=("$id")
		publisher_ports+=("$port")
	done
	for port in "${publisher_ports[@]}"; do
		await_boxes "$port" "$boxes"
	done
	box_pids=()
	for ((k = 1; k <= boxes; k++)); do
		box_pids+=("$(cat "$RUN/pids/box-$k.pid")")
	done
	redis_pid=$(cat "$RUN/pids/redis.pid")
	store=$RUN/box-1
	echo "$configuration: up, ${#publisher_pids[@]} publisher(s) with ${boxes} box(es) ready (REPLICAS $REPLICAS)" >&2

	# Warm-up: one untimed run of a quarter of the segments, so the first measured run does not pay for class
	# loading and the first compilations
	last=$RUNS
	[ -z "${BENCH_JFR:-}" ] || last=$((RUNS + 1))
	for i in $(seq 0 "$last"); do
		count=$SEGMENTS
		[ "$i" = 0 ] && count=$(((SEGMENTS + 3) / 4))
		dir=$SEGMENT_ROOT/r$i
		mkdir -p "$dir"
		lists=()
		for ((n = 0; n < ${#publisher_ids[@]}; n++)); do
			mkdir -p "$dir/p$n"
			: >"$work/list-$n"
			lists+=("${publisher_ids[$n]}=$work/list-$n")
		done
		for ((s = 0; s < count; s++)); do
			n=$((s % ${#publisher_ids[@]}))
			file=$(printf '%s/p%d/seg-%04d.bin' "$dir" "$n" "$s")
			head -c 1048576 /dev/urandom >"$file"
			echo "$file" >>"$work/list-$n"
		done
		sync
		profiled=no
		[ "$i" -le "$RUNS" ] || profiled=yes
		if [ "$profiled" = yes ]; then
			mkdir -p "$BENCH_JFR"
			jcmd "${publisher_pids[0]}" JFR.start name=p1 settings=profile filename="$(cd "$BENCH_JFR" && pwd)/p1-$configuration-publisher.jfr" >/dev/null
			jcmd "${box_pids[0]}" JFR.start name=p1 settings=profile filename="$(cd "$BENCH_JFR" && pwd)/p1-$configuration-box.jfr" >/dev/null
		fi
		p_ticks=$(cpu_ticks "${publisher_pids[@]}")
		b_ticks=$(cpu_ticks "${box_pids[@]}")
		r_ticks=$(cpu_ticks "$redis_pid")
		read -r seconds files stored acked acked_bytes failed < <(ROOT=$SEGMENT_ROOT python3 bench/publish/drive.py publish \
			127.0.0.1 "$(sed 's|.*:||' "$RUN/pids/redis.url")" "$RUN_TIMEOUT" "$REPLICAS" "${lists[@]}")
		p_used=$(($(cpu_ticks "${publisher_pids[@]}") - p_ticks))
		b_used=$(($(cpu_ticks "${box_pids[@]}") - b_ticks))
		r_used=$(($(cpu_ticks "$redis_pid") - r_ticks))
		if [ "$profiled" = yes ]; then
			jcmd "${publisher_pids[0]}" JFR.stop name=p1 >/dev/null
			jcmd "${box_pids[0]}" JFR.stop name=p1 >/dev/null
		fi
		mapfile -t all_files < <(cat "$work"/list-*)
		if [ "$i" = 0 ]; then
			echo "$configuration: warm-up of $count segments: $stored stored in $seconds s, $failed failed" >&2
			rm -rf "$dir"
			continue
		fi
		if [ "$profiled" = yes ]; then
			echo "$configuration: profiled run (JFR into $BENCH_JFR): $acked_bytes bytes acked in $seconds s, $failed failed" >&2
			rm -rf "$dir"
			continue
		fi
		acked_mib=$(python3 -c "print(round($acked_bytes / 1048576, 1))")
		rate=$(python3 -c "print(round($acked_bytes / 1048576 / $seconds, 1))")
		# Baseline, same run, same bytes: loopback POSTs to the sink, one SHA-256, one fsync per MiB
		: >"$work/nginx/logs/access.log"
		net_s=$(python3 bench/publish/drive.py sink "http://127.0.0.1:$nginx_port/sink" "$PARALLEL" "${all_files[@]}")
		answered=$(awk '$2 == 204' "$work/nginx/logs/access.log" | wc -l)
		connections=$(awk '{print $1}' "$work/nginx/logs/access.log" | sort -u | wc -l)
		[ "$answered" = "$count" ] && [ "$connections" = "$PARALLEL" ] ||
			{ echo "nginx answered $answered of $count POSTs with 204 on $connections connections, not $PARALLEL" >&2; exit 1; }
		hash_start=$EPOCHREALTIME
		sha256sum "${all_files[@]}" >/dev/null
		hash_end=$EPOCHREALTIME
		hash_s=$(python3 -c "print(round($hash_end - $hash_start, 3))")
		dd_out=$(dd if=/dev/zero of="$store/dd-baseline.bin" bs=1048576 count="$count" oflag=dsync 2>&1 | tail -1)
		rm -f "$store/dd-baseline.bin"
		fsync_s=$(echo "$dd_out" | python3 -c "import sys,re; print(re.search(r'([0-9.]+) s,', sys.stdin.read()).group(1))")
		load=$(cut -d' ' -f1-3 /proc/loadavg)
		python3 - "$count" "$net_s" "$hash_s" "$fsync_s" "$rate" >"$work/baseline" <<'EOF'
import sys
mib, net, hashing, fsync, rate = int(sys.argv[1]), *map(float, sys.argv[2:])
limit = mib / (net + hashing + fsync)
print(f"{mib / net:.1f} {mib / hashing:.1f} {mib / fsync:.1f} {limit:.1f} {rate / limit:.3f}")
EOF
		read -r net_rate hash_rate fsync_rate limit ratio <"$work/baseline"
		p_cpu=$(cpu_ms_per_mib "$p_used" "$acked_mib")
		b_cpu=$(cpu_ms_per_mib "$b_used" "$acked_mib")
		r_cpu=$(cpu_ms_per_mib "$r_used" "$acked_mib")
		echo "| $boxes box(es) × $publishers publisher(s), REPLICAS $REPLICAS | $i | $rate | $acked_mib ($acked) in $seconds | $failed | $net_rate | $hash_rate | $fsync_rate | $limit | $ratio | $p_cpu / $b_cpu / $r_cpu | $load |"
		echo "$configuration $rate $net_rate $hash_rate $fsync_rate $limit $ratio $p_cpu $b_cpu $r_cpu $failed" >>"$work/summary"
		rm -rf "$dir"
	done
	grep "^$configuration " "$work/summary" | python3 -c "
import statistics, sys
rows = [line.split() for line in sys.stdin]
def cell(k, fmt='{:.1f}'):
    values = [float(r[k]) for r in rows]
    return f'{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})'
print(f'| **$boxes box(es) × $publishers publisher(s), median (min–max)** | {len(rows)} | **{cell(1)}** | | {sum(int(r[10]) for r in rows)} | {cell(2)} | {cell(3)} | {cell(4)} | {cell(5)} | **{cell(6, \"{:.3f}\")}** | {cell(7, \"{:.2f}\")} / {cell(8, \"{:.2f}\")} / {cell(9, \"{:.2f}\")} | |')
"
done
echo "machine: $machine; commit $commit; $SEGMENTS × 1 MiB per run; REPLICAS $REPLICAS; baseline POST client: $PARALLEL connections" >&2
