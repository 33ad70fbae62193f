#!/usr/bin/env bash
# P5, origin offload: the share of a live stream's bytes that simulated HLS viewers fetch from boxes rather than the
# publisher (origin), and their stalls, while one box of three is killed (-9) every 30 s.
# Usage: bench/offload/run.sh [SECONDS] [VIEWERS] [RUNS]      (defaults: 120 s, 20 viewers, 3 runs)
# Needs: python3, curl, ffmpeg (the launcher's demo stream; without it the committed clip is replayed), built jars.
# Environment:
#   BENCH_NO_BUILD=1     use the jars as they are (else ./mvnw -B -q package -DskipTests first)
#   KILL_EVERY=30        seconds between two kills; the first comes KILL_EVERY seconds into the run
#   RESTART=1            start each killed box again at once (./dandelion restart box-K), so that three boxes stay in
#                        play; RESTART=0 leaves it dead (with 3 boxes and 30 s, the third kill leaves none)
#   RETRY_DELAY_S=0.5    see bench/offload/viewers.py
# Starts the network with the launcher in its own run directory (target/bench-offload: Redis, an entrance, 3 boxes, a
# publisher and the demo stream, on loopback). Each run waits until the publisher's pool has all three boxes live,
# starts VIEWERS simulated viewers of /live/demo/index.m3u8 for SECONDS (bench/offload/viewers.py) and meanwhile kills
# box-1, box-2, box-3, ... in turn every KILL_EVERY seconds (SIGKILL to the box agent's JVM, its PID from the run
# directory's pids/), each started again at once. Prints the viewers' totals per run, a Markdown row per run and the
# median (min–max). Everything it started is stopped at the end (./dandelion down).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
ROOT=$PWD
SECONDS_TO_RUN=${1:-120}
VIEWERS=${2:-20}
RUNS=${3:-3}
KILL_EVERY=${KILL_EVERY:-30}
RESTART=${RESTART:-1}
# A loaded 2-core machine takes minutes to start a Spring Boot JVM; the launcher's default of 180 s is not always enough
export DANDELION_HEALTH_TIMEOUT=${DANDELION_HEALTH_TIMEOUT:-600}
export DANDELION_RUN_DIR="$ROOT/target/bench-offload"
RUN=$DANDELION_RUN_DIR

work=$(mktemp -d)
network_up=no
restarts=()
viewers_pid=""
cleanup() {
	[ -z "$viewers_pid" ] || kill "$viewers_pid" 2>/dev/null || true
	for pid in ${restarts[@]+"${restarts[@]}"}; do
		kill "$pid" 2>/dev/null || true
	done
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

# all_boxes_live: whether the publisher's pool has every box of the run directory live with a ready connection
all_boxes_live() {
	local pool k id
	pool=$(curl -fsS --max-time 5 "$base/api/v1/boxes" 2>/dev/null) || return 1
	for k in 1 2 3; do
		id=$(tr -d '[:space:]' <"$RUN/box-$k/box-id.txt")
		python3 -c 'import json,sys; sys.exit(0 if any(b["id"]==sys.argv[1] and b["live"] and b["connection"]=="READY" for b in json.loads(sys.argv[2])) else 1)' "$id" "$pool" || return 1
	done
}

rows=()
for run in $(seq 1 "$RUNS"); do
	for _ in $(seq 1 360); do
		all_boxes_live && break
		sleep 0.5
	done
	all_boxes_live || { echo "run $run: not every box is live in the publisher's pool" >&2; exit 1; }
	load_before=$(cut -d' ' -f1 /proc/loadavg)
	echo "Run $run: $VIEWERS viewers for ${SECONDS_TO_RUN}s, a box killed every ${KILL_EVERY}s (restart: $RESTART); load $load_before" >&2
	python3 bench/offload/viewers.py "$base" "$SECONDS_TO_RUN" "$VIEWERS" >"$work/viewers.txt" 2>&1 &
	viewers_pid=$!
	begun=$SECONDS
	kill_log=""
	k=0
	while :; do
		next=$((begun + (k + 1) * KILL_EVERY))
		((next < begun + SECONDS_TO_RUN)) || break
		sleep $((next - SECONDS))
		victim="box-$((k % 3 + 1))"
		pid=$(cat "$RUN/pids/$victim.pid")
		# The launcher's own box process (its marker is checked: PIDs are reused)
		if ps -o args= -p "$pid" 2>/dev/null | grep -qF "$(cat "$RUN/pids/$victim.marker")"; then
			kill -9 "$pid"
			kill_log="$kill_log $victim@$((SECONDS - begun))s"
			echo "  killed $victim (pid $pid) at $((SECONDS - begun)) s" >&2
			if [ "$RESTART" = 1 ]; then
				./dandelion restart "$victim" >"$work/restart-$victim.log" 2>&1 &
				restarts+=($!)
			fi
		else
			echo "  $victim is not running at $((SECONDS - begun)) s: not killed" >&2
		fi
		k=$((k + 1))
	done
	wait "$viewers_pid" || { cat "$work/viewers.txt" >&2; exit 1; }
	viewers_pid=""
	cat "$work/viewers.txt" >&2
	for pid in ${restarts[@]+"${restarts[@]}"}; do
		wait "$pid" || { cat "$work"/restart-*.log >&2; exit 1; }
	done
	restarts=()
	load_after=$(cut -d' ' -f1 /proc/loadavg)
	result=$(grep '^RESULT' "$work/viewers.txt")
	field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
	rows+=("$(field box_share_pct) $(field origin_bytes) $(field segment_bytes) $(field stalls_over_1s) $(field longest_stall_s) $(field stalls) $(field failed_fetches) $(field lost_segments) $load_before/$load_after${kill_log// /,}")
done

echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1); commit $(git rev-parse --short HEAD)"
echo
echo "| run | from boxes % | origin bytes | segment bytes | stalls > 1 s | longest stall s | stalls (any) | failed fetches | lost segments | load before/after, kills |"
echo "|---|---|---|---|---|---|---|---|---|---|"
i=0
for row in "${rows[@]}"; do
	i=$((i + 1))
	read -r share origin total long longest any failed lost load <<<"$row"
	echo "| $i | $share | $origin | $total | $long | $longest | $any | $failed | $lost | $load |"
done
printf '%s\n' "${rows[@]}" | python3 -c '
import statistics, sys
rows = [line.split() for line in sys.stdin if line.strip()]
def column(i, cast=float):
    values = [cast(row[i]) for row in rows]
    shown = (lambda v: f"{v:,.0f}") if max(values) >= 1000 else (lambda v: f"{v:g}")
    return f"**{shown(statistics.median(values))}** ({shown(min(values))}–{shown(max(values))})"
print(f"| **median (min–max)** | {column(0)} | {column(1)} | {column(2)} | {column(3)} | {column(4)} | {column(5)} | {column(6)} | {column(7)} | |")
'
