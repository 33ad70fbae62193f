#!/usr/bin/env bash
# P4, a killed box: the time from `kill -9` of a box agent's JVM to the last answer of the publisher naming that box,
# over KILLS kills.
# Usage: bench/failover/run.sh [KILLS]      (default 20)
# Needs: python3, curl, ffmpeg (the launcher's demo stream; without it the committed clip is replayed), built jars.
# Environment:
#   BENCH_NO_BUILD=1     use the jars as they are (else ./mvnw -B -q package -DskipTests first)
#   POLL_MS=10 SEGMENTS=3 QUIET_S=3 MAX_WAIT_S=30 RESTART_WAIT_S=180    see bench/failover/failover.py
# Starts the network with the launcher in its own run directory (target/bench-failover: Redis, an entrance, 3 boxes, a
# publisher and the demo stream, on loopback), PUTs one small file through the publisher's REST API and waits until two
# boxes store it. Then, per kill (bench/failover/failover.py): picks the box the file's redirect names first, kills its
# box agent JVM (SIGKILL, its PID from the run directory's pids/), polls the file's ranked redirect, the live playlist
# and its newest segments' ranked redirects every 10 ms until none has named the box for 3 s, starts the box again
# (./dandelion restart box-K) and waits until the publisher's pool has it live. Prints a Markdown row per kill, then
# p50, p99 and max. Everything it started is stopped at the end (./dandelion down).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
ROOT=$PWD
KILLS=${1:-20}
# A loaded 2-core machine takes minutes to start a Spring Boot JVM; the launcher's default of 180 s is not always enough
export DANDELION_HEALTH_TIMEOUT=${DANDELION_HEALTH_TIMEOUT:-600}
export DANDELION_RUN_DIR="$ROOT/target/bench-failover"
RUN=$DANDELION_RUN_DIR
NAME=/bench/p4.bin

work=$(mktemp -d)
network_up=no
cleanup() {
	if [ "$network_up" = yes ]; then
		./dandelion down >"$work/down.log" 2>&1 || cat "$work/down.log" >&2
	fi
	rm -rf "$work"
}
trap cleanup EXIT
# Interrupted or stopped: exit, so that the EXIT trap stops the network
trap 'exit 130' INT TERM

build_jars "$work/build.log"
mkdir -p "$RUN"
network_up=yes
./dandelion up --boxes 3 --no-build >&2

base=$(sed 's:/dandelion/$::' "$RUN/pids/publisher.url")
token=$(cat "$RUN/secrets/api-token")
head -c 4096 /dev/urandom >"$work/p4.bin"
# ttl=0: kept until deleted, so that it outlives the run however long the restarts take
curl -fsS -X PUT -H "Authorization: Bearer $token" --data-binary @"$work/p4.bin" "$base/api/v1/files$NAME?ttl=0" >/dev/null
for _ in $(seq 1 120); do
	urls=$(curl -fsS "$base/r$NAME?format=json" 2>/dev/null || true)
	# Two live replicas: a kill leaves one to redirect to
	[ "$(grep -o 'http' <<<"$urls" | wc -l)" -ge 2 ] && break
	sleep 0.5
done
echo "GET $base/r$NAME?format=json answers $urls" >&2
echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1); commit $(git rev-parse --short HEAD); load average$(uptime | sed 's/.*load average//')" >&2
python3 bench/failover/failover.py "$RUN" "$base" "$NAME" "$KILLS"
echo "Load average after: $(uptime | sed 's/.*load average: //')" >&2
