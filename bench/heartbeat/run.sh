#!/usr/bin/env bash
# P3, entrance heartbeat capacity: N simulated boxes, each holding a persistent WebSocket to the entrance and sending a
# signed EXCHANGE every 5 s, N raised in steps until the p99 from send to reply passes 100 ms or an error appears.
# Usage: bench/heartbeat/run.sh [STEPS] [SECONDS] [RUNS]
#        (defaults: 1000,2000,5000,10000,19000 boxes; 30 s measured per step; 1 run)
# Needs: redis-server and redis-benchmark on PATH (Debian: apt-get install redis-server redis-tools), curl, unzip,
# python3, and `ulimit -n` above the largest step (each connection is a file descriptor in the entrance and in the
# load tool; the machines this was written on allow 20,000, hence 19,000 connections at most).
# Environment:
#   BENCH_NO_BUILD=1     use the jars as they are (else ./mvnw -B -q -o -pl entrance-service -am package -DskipTests)
#   ENTRANCE_HEAP=256m   the entrance's -Xmx (the launcher's); ENTRANCE_JAVA_OPTS adds JVM options
#   MAX_CONNECTIONS=19000  connections at most; a step of more boxes keeps this many and shortens the period, so that
#                        the EXCHANGE rate is that of STEP boxes (reported in the period column)
#   REDIS_BENCH_OPTS='-c 50 -P 16'  redis-benchmark's clients and pipelining for the baseline; REDIS_BENCH_N=200000
#   WARMUP=30            seconds of load at the first step before it is measured (the entrance's JIT compilers)
#   BENCH_JFR=FILE       record the entrance with JFR (profile settings) during each step's window of the first run,
#                        into FILE-STEP.jfr (read the one at the bound with bench/jfr-hot.py)
# Each run starts its own Redis (append-only, fsync every second, as ./dandelion up does) and an entrance (strict
# security, every other setting at its default) on loopback in target/bench-heartbeat/, then bench/heartbeat/
# Heartbeats.java ramps the boxes: each gets a credential from the entrance's admin API, leaves from a loopback source
# address of its own group of 32 (MAX_CONNECTIONS_PER_IP is 64) and claims a public address, 32 per /24
# (ENTRANCE_MAX_LIVE_BOXES_PER_NETWORK is 32), so the entrance places it with a GeoIP lookup and no limit is raised.
# A Markdown row per step (with the CPU each process used, from /proc); then the baseline on the same Redis:
# redis-benchmark of each command one EXCHANGE sends (counted from INFO commandstats during the ramp), with the field
# set of a heartbeat the entrance stored, combined into the EXCHANGEs per second Redis alone would serve.
# Everything it started is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
ROOT=$PWD
STEPS=${1:-1000,2000,5000,10000,19000}
SECONDS_PER_STEP=${2:-30}
RUNS=${3:-1}
ENTRANCE_HEAP=${ENTRANCE_HEAP:-256m}
MAX_CONNECTIONS=${MAX_CONNECTIONS:-19000}
REDIS_BENCH_OPTS=${REDIS_BENCH_OPTS:--c 50 -P 16}
REDIS_BENCH_N=${REDIS_BENCH_N:-200000}
WARMUP=${WARMUP:-30}
RUN="$ROOT/target/bench-heartbeat"

for tool in redis-server redis-benchmark redis-cli curl unzip python3; do
	command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
largest=$(tr ',' '\n' <<<"$STEPS" | sort -n | tail -1)
connections=$((largest < MAX_CONNECTIONS ? largest : MAX_CONNECTIONS))
if [ "$(ulimit -n)" -le $((connections + 500)) ]; then
	echo "ulimit -n is $(ulimit -n): too few file descriptors for $connections connections (MAX_CONNECTIONS)" >&2
	exit 1
fi

work=$(mktemp -d)
redis_pid=""
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
	stop "$redis_pid"
	rm -rf "$work"
}
trap cleanup EXIT

build_jars "$work/build.log" -o -pl entrance-service -am package -DskipTests
JAR="$ROOT/entrance-service/target/entrance-service-exec.jar"
mkdir -p "$work/lib"
(cd "$work/lib" && unzip -q -j "$JAR" 'BOOT-INF/lib/*')

machine="$(nproc) cores, $(java -version 2>&1 | head -1 | sed 's/"//g')"
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench' ':!docs' 2>/dev/null || echo '+dirty')

# start_network: a fresh Redis and entrance in $RUN; sets redis_port, redis_pid, entrance_port, entrance_pid
start_network() {
	rm -rf "$RUN"
	mkdir -p "$RUN/redis" "$RUN/entrance"
	redis_port=$(free_port)
	redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly yes --appendfsync everysec \
		--dir "$RUN/redis" >"$RUN/redis.log" 2>&1 &
	redis_pid=$!
	for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
	entrance_port=$(free_port)
	head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$RUN/admin-token"
	cat >"$RUN/entrance/entrance-config.yaml" <<EOF
REDIS_HOST: 127.0.0.1
REDIS_PORT: $redis_port
BASE_DIRECTORY: '$RUN/entrance'
ENTRANCE_IP: 127.0.0.1
ENTRANCE_PORT: $entrance_port
SECURITY_MODE: strict
ENTRANCE_ADMIN_TOKEN: '$(cat "$RUN/admin-token")'
EOF
	# shellcheck disable=SC2086 # a list of options
	java -Xmx"$ENTRANCE_HEAP" ${ENTRANCE_JAVA_OPTS:-} -jar "$JAR" --config="$RUN/entrance/entrance-config.yaml" \
		--server.address=127.0.0.1 >"$RUN/entrance.log" 2>&1 &
	entrance_pid=$!
	for _ in $(seq 1 240); do
		case "$(curl -s "http://127.0.0.1:$entrance_port/dandelion/" || true)" in HI\ entrance-*) return 0 ;; esac
		kill -0 "$entrance_pid" 2>/dev/null || break
		sleep 0.5
	done
	echo "the entrance did not start:" >&2
	tail -30 "$RUN/entrance.log" >&2
	exit 1
}


# redis_baseline: EXCHANGE/s that this Redis serves running what one EXCHANGE sends, command by command
redis_baseline() {
	local prefix secret fields key sha_accept sha_save range now expiry
	# At least a tenth of the requests, so that no box's rate (60 a minute) nor network (32 boxes) fills and the
	# scripts take their full path
	range=$((connections > REDIS_BENCH_N / 10 ? connections : REDIS_BENCH_N / 10))
	secret=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
	prefix="bench-p3"
	# The fields of a heartbeat the entrance stored, without FIRST_SEEN (the script keeps or sets it)
	key=$(redis-cli -p "$redis_port" --scan --pattern '*:EXCHANGE:box-*' | awk 'NR == 1')
	mapfile -t fields < <(redis-cli -p "$redis_port" --raw hgetall "$key" | paste - - | grep -v '^FIRST_SEEN	' | tr '\t' '\n')
	# Credentials of box-000000000000 … so that __rand_int__ IDs (12 digits) pass the scripts' credential checks
	python3 -c "
import sys
for i in range($range):
    sys.stdout.write('HSET $prefix:CREDENTIALS box-%012d $secret\r\n' % i)" | redis-cli -p "$redis_port" --pipe >/dev/null
	sha_accept=$(redis-cli -p "$redis_port" script load "$(cat entrance-service/src/main/resources/scripts/accept-auth-time.lua)")
	sha_save=$(redis-cli -p "$redis_port" script load "$(cat entrance-service/src/main/resources/scripts/save-exchange.lua)")
	now=$(date +%s%3N)
	expiry=$((now / 1000 + 120))
	local -a hget accept save smembers
	hget=(HGET "$prefix:CREDENTIALS" "box-__rand_int__")
	# AUTH_TIME: a random one, so about half are later than the box's last and recorded, as every real one is
	accept=(EVALSHA "$sha_accept" 2 "$prefix:CREDENTIALS" "$prefix:AUTH_TIMES" "box-__rand_int__" "$secret" "1__rand_int__")
	save=(EVALSHA "$sha_save" 5 "$prefix:EXCHANGE:box-__rand_int__" "$prefix:BOX_SET" "$prefix:CREDENTIALS"
		"$prefix:EXCHANGE_COUNT:box-__rand_int__" "$prefix:NETWORK_BOXES:__rand_int__" "box-__rand_int__" "$expiry"
		"$secret" "$now" 32 60 60000 "${fields[@]}")
	smembers=(SMEMBERS "$prefix:ENTRANCE_URLS")
	local name rps total_inverse=0 line=""
	for name in hget accept save smembers; do
		local -n command="$name"
		# shellcheck disable=SC2086 # a list of options
		rps=$(redis-benchmark -p "$redis_port" $REDIS_BENCH_OPTS -n "$REDIS_BENCH_N" -r "$range" --csv "${command[@]}" |
			tail -1 | awk -F'","' '{print $(NF - 6)}')
		line+="$name $rps "
		total_inverse=$(python3 -c "print($total_inverse + 1 / $rps)")
	done
	echo "$line combined $(python3 -c "print(round(1 / $total_inverse))")"
}

echo "Machine: $machine; commit $commit; steps $STEPS, $SECONDS_PER_STEP s measured each; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
: >"$work/results"
for run in $(seq 1 "$RUNS"); do
	start_network
	echo "Run $run: entrance pid $entrance_pid on 127.0.0.1:$entrance_port, its Redis pid $redis_pid on $redis_port" >&2
	jfr=()
	if [ "$run" = 1 ] && [ -n "${BENCH_JFR:-}" ]; then
		jfr=(-Djfr.pid="$entrance_pid" -Djfr.file="$BENCH_JFR")
	fi
	java -Xmx1g -XX:+UseParallelGC -DmaxConnections="$MAX_CONNECTIONS" -Dwarmup="$WARMUP" -Dredis.port="$redis_port" \
		-Dcommandstats.file="$work/commands-$run.txt" ${jfr[@]+"${jfr[@]}"} -cp "$work/lib/*" \
		bench/heartbeat/Heartbeats.java "http://127.0.0.1:$entrance_port" "$RUN/admin-token" "$STEPS" \
		"$SECONDS_PER_STEP" "entrance=$entrance_pid,redis=$redis_pid" | tee "$work/ramp-$run.txt"
	capacity=$(awk '/^CAPACITY/ {print $2}' "$work/ramp-$run.txt")
	echo "Redis calls per EXCHANGE sent, in each step's window (INFO commandstats; the scripts' own calls included):"
	sed 's/^/  step /' "$work/commands-$run.txt"
	echo "Load average after the ramp: $(cut -d' ' -f1-3 /proc/loadavg)"
	read -r -a baseline < <(redis_baseline)
	echo "redis-benchmark ($REDIS_BENCH_OPTS, -n $REDIS_BENCH_N) requests/s: ${baseline[*]}"
	redis_rate=${baseline[9]}
	echo "$capacity $redis_rate" >>"$work/results"
	python3 -c "
c, r = $capacity, $redis_rate
print(f'| {$run} | {c:,} boxes ({c / 5:,.0f} EXCHANGE/s) | {r:,} EXCHANGE/s = {r * 5:,} boxes at 5 s | {c / 5 / r:.3f} | $machine | $commit |')"
	stop "$entrance_pid"
	entrance_pid=""
	stop "$redis_pid"
	redis_pid=""
done
python3 - "$work/results" "$RUNS" <<'EOF'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
cap = [r[0] for r in rows]
red = [r[1] for r in rows]
ratio = [c / 5 / r for c, r in zip(cap, red)]
print(f"| median (min–max) of {sys.argv[2]} | {statistics.median(cap):,.0f} ({min(cap):,.0f}–{max(cap):,.0f}) boxes | "
      f"{statistics.median(red):,.0f} ({min(red):,.0f}–{max(red):,.0f}) EXCHANGE/s | "
      f"{statistics.median(ratio):.3f} ({min(ratio):.3f}–{max(ratio):.3f}) |")
EOF
