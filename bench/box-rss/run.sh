#!/usr/bin/env bash
# Box memory and throughput while it receives 1 MiB file frames continuously.
# Usage: bench/box-rss/run.sh [SECONDS] [FRAME_BYTES]     (defaults: 60 s, 1 MiB)
# Needs: a built box-agent jar (./mvnw -B -q package -DskipTests), a Redis at REDIS_URL (default
# redis://127.0.0.1:6379/13; the box's keys live under its own random ID and are deleted afterwards).
# NMT_OUT=FILE starts the box with -XX:NativeMemoryTracking=summary and writes `jcmd PID VM.native_memory summary`
# at rest and after the frames into FILE: what besides the heap holds the resident memory.
# Prints the box's RSS (max and at the end), heap after the run, MiB/s, and the ratio of its MiB/s to two baselines
# measured in the same run: a raw loopback TCP copy of the same bytes, and dd writing them with one fsync per frame.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
SECONDS_TO_RUN=${1:-60}
FRAME_BYTES=${2:-1048576}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/13}
JAR=box-agent/target/box-agent-exec.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests -Ddisable.checks

work=$(mktemp -d)
APP_PORT=$(free_port)
DATA_PORT=$(free_port)
box_pid=""
cleanup() {
	status=$?
	if [ "$status" != 0 ] && [ -f "$work/box.log" ]; then
		echo "--- the box's log (last 40 lines) ---" >&2
		tail -n 40 "$work/box.log" >&2
	fi
	[ -n "$box_pid" ] && kill "$box_pid" 2>/dev/null && wait "$box_pid" 2>/dev/null || true
	if [ -f "$work/box-id.txt" ] && command -v redis-cli >/dev/null; then
		# Both key layouts: {box-…}:KEY (cluster) and box-…:KEY (original, the default)
		for pattern in "{$(cat "$work/box-id.txt")}*" "$(cat "$work/box-id.txt"):*"; do
			redis-cli -u "$REDIS_URL" --scan --pattern "$pattern" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null
		done
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# JAVA_OPTS adds JVM options (e.g. -XX:NativeMemoryTracking=summary, then jcmd PID VM.native_memory summary).
# Compatible mode: PushFrames attaches as a publisher without an entrance's ticket.
# shellcheck disable=SC2086
[ -z "${NMT_OUT:-}" ] || JAVA_OPTS="${JAVA_OPTS:-} -XX:NativeMemoryTracking=summary"
# The box's JVM options and malloc arenas as ./dandelion starts a box (BOX_JVM_OPTIONS there)
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} java -Xmx64m -Xms16m -XX:+UseSerialGC ${JAVA_OPTS:-} -jar "$JAR" --dandelion.security.mode=compatible --server.address=127.0.0.1 --server.port="$APP_PORT" \
	--box.server-ip=127.0.0.1 --box.base-directory="$work" --box.serving.data-port="$DATA_PORT" \
	--box.store.max-storage=4GB --box.store.min-free-disk=64MB --spring.data.redis.url="$REDIS_URL" \
	--logging.level.root=WARN > "$work/box.log" 2>&1 &
box_pid=$!
for _ in $(seq 1 120); do
	curl -fs "http://127.0.0.1:$APP_PORT/actuator/health" >/dev/null 2>&1 && break
	sleep 0.5
done
curl -fs "http://127.0.0.1:$APP_PORT/actuator/health" >/dev/null || { echo "box did not start, log: $work/box.log"; cat "$work/box.log"; exit 1; }
BOX_ID=$(cat "$work/box-id.txt")
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$box_pid/status"; }
echo "box $BOX_ID started, RSS $(rss_kib) KiB at rest"
nmt() {
	[ -n "${NMT_OUT:-}" ] || return 0
	{
		echo "=== $1: RSS $(rss_kib) KiB ($(grep -E '^Rss(Anon|File|Shmem)' "/proc/$box_pid/status" | tr -s ' \t' ' ' | paste -sd,)," \
			"threads $(awk '/^Threads/ {print $2}' "/proc/$box_pid/status"))"
		jcmd "$box_pid" VM.native_memory summary
	} >>"$NMT_OUT"
}
[ -z "${NMT_OUT:-}" ] || : >"$NMT_OUT"
nmt "at rest"

raw=$(java bench/box-rss/PushFrames.java raw - 10 "$FRAME_BYTES")
echo "$raw"
# Second baseline: writing the same frames durably (one fsync per frame, as the box does) on the store's disk.
dd_out=$(dd if=/dev/zero of="$work/dd.bin" bs="$FRAME_BYTES" count=500 oflag=dsync 2>&1 | tail -1)
rm -f "$work/dd.bin"
dsync_rate=$(echo "$dd_out" | python3 -c "import sys,re; t=sys.stdin.read(); m=re.search(r'([0-9.]+) s, ([0-9.]+) ([kMG]B)/s', t); print(round(500*$FRAME_BYTES/float(m.group(1))/1048576,1))")
echo "dsync frames=500 MiB/s=$dsync_rate"
max_rss=0
( while kill -0 "$box_pid" 2>/dev/null; do rss_kib; sleep 0.5; done ) > "$work/rss.txt" &
sampler=$!
push=$(java bench/box-rss/PushFrames.java box "ws://127.0.0.1:$APP_PORT/dandelion/$BOX_ID/ws/" "$SECONDS_TO_RUN" "$FRAME_BYTES")
kill "$sampler" 2>/dev/null || true
nmt "after the frames"
echo "$push"
max_rss=$(sort -n "$work/rss.txt" | tail -1)
end_rss=$(rss_kib)
heap=$(jcmd "$box_pid" GC.heap_info 2>/dev/null | awk '/def new generation|tenured generation/ {gsub("K","",$0); for(i=1;i<=NF;i++) if ($i=="used") print $(i+1)}' | paste -sd+ | bc 2>/dev/null || echo "?")
box_rate=$(echo "$push" | sed 's/.*MiB\/s=//')
raw_rate=$(echo "$raw" | sed 's/.*MiB\/s=//')
ratio=$(python3 -c "print(f'{$box_rate/$raw_rate:.3f}')")
ratio_dsync=$(python3 -c "print(f'{$box_rate/$dsync_rate:.3f}')")
echo "RESULT seconds=$SECONDS_TO_RUN frame_bytes=$FRAME_BYTES box_MiB/s=$box_rate raw_loopback_MiB/s=$raw_rate ratio_to_loopback=$ratio dsync_disk_MiB/s=$dsync_rate ratio_to_dsync=$ratio_dsync max_rss_KiB=$max_rss end_rss_KiB=$end_rss heap_used_KiB=$heap"
