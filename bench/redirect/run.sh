#!/usr/bin/env bash
# P2, the redirect API: GET /r/{name} of the publisher against Nginx's `return 302`, same machine, same client.
# Usage: bench/redirect/run.sh [SECONDS] [RUNS]      (defaults: 30 s per wrk run, 3 runs)
# Needs: wrk and nginx on PATH (Debian: apt-get install wrk nginx), python3, curl.
# Environment:
#   BENCH_NO_BUILD=1     use the jars as they are (else ./mvnw -B -q package -DskipTests first)
#   BENCH_KEEP_DEMO=1    leave the launcher's demo stream running (by default it is stopped once the network is up, so
#                        that an HLS encoder does not share the 2 cores with the benchmark)
#   BENCH_FLOORS=1       also measure, in each run, two floors in one JVM on the publisher's own libraries
#                        (bench/redirect/Floor302.java): Reactor Netty answering 302 alone, and a Spring WebFlux functional
#                        route answering 302; a second table shows how much of the gap to Nginx is the stack
#   BENCH_JFR=FILE       record the publisher with JFR (jdk profile) during the first publisher run, into FILE
#   WARMUP=30            seconds of wrk on each server before the measured runs: the publisher's C2 compiler was still
#                        busy after 10 s on a loaded 2-core machine, and the first run measured it
#   CONNECTIONS=64 THREADS=2 NGINX_WORKERS=auto    wrk and nginx settings (auto: one nginx worker per core, as the
#                        Debian package's nginx.conf; the publisher's Netty also runs one event loop per core)
# Starts the network with the launcher in its own run directory (target/bench-run: Redis, an entrance, 2 boxes, a
# publisher, all on loopback), PUTs one small file through the publisher's REST API and waits until boxes store it,
# then alternates, RUNS times: wrk on the publisher's /r/bench/p2.bin (302 to a box), wrk on an Nginx answering
# every request with a 302. Prints a Markdown row per run and one with the medians and the spread (min–max).
# Everything it started is stopped at the end (./dandelion down, the Nginx).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
ROOT=$PWD
SECONDS_TO_RUN=${1:-30}
RUNS=${2:-3}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
WARMUP=${WARMUP:-30}
export DANDELION_RUN_DIR="$ROOT/target/bench-run"
RUN=$DANDELION_RUN_DIR
NAME=/bench/p2.bin

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
NGINX=$(command -v nginx || true)
[ -n "$NGINX" ] || { echo "nginx is missing (apt-get install nginx)" >&2; exit 1; }

work=$(mktemp -d)
nginx_pid=""
floor_pid=""
network_up=no
cleanup() {
	if [ -n "$floor_pid" ] && kill -0 "$floor_pid" 2>/dev/null; then
		kill "$floor_pid" 2>/dev/null || true
		wait "$floor_pid" 2>/dev/null || true
	fi
	if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
		kill -QUIT "$nginx_pid" 2>/dev/null || true
		wait "$nginx_pid" 2>/dev/null || true
	fi
	if [ "$network_up" = yes ]; then
		./dandelion down >"$work/down.log" 2>&1 || cat "$work/down.log" >&2
	fi
	rm -rf "$work"
}
trap cleanup EXIT

build_jars "$work/build.log"
mkdir -p "$RUN"
network_up=yes
./dandelion up --boxes 2 --no-build >&2
if [ "${BENCH_KEEP_DEMO:-0}" != 1 ] && [ -f "$RUN/pids/demo.pid" ]; then
	demo_pid=$(cat "$RUN/pids/demo.pid")
	# The launcher's own demo process (its marker is checked: PIDs are reused)
	if ps -o args= -p "$demo_pid" 2>/dev/null | grep -qF "$(cat "$RUN/pids/demo.marker")"; then
		kill "$demo_pid" 2>/dev/null || true
		echo "Stopped the demo stream (pid $demo_pid); BENCH_KEEP_DEMO=1 keeps it" >&2
	fi
fi

base=$(sed 's:/dandelion/$::' "$RUN/pids/publisher.url")
publisher_pid=$(cat "$RUN/pids/publisher.pid")
token=$(cat "$RUN/secrets/api-token")
head -c 4096 /dev/urandom >"$work/p2.bin"
curl -fsS -X PUT -H "Authorization: Bearer $token" --data-binary @"$work/p2.bin" "$base/api/v1/files$NAME?ttl=0" >/dev/null
for _ in $(seq 1 120); do
	state=$(curl -fsS "$base/api/v1/files$NAME" || true)
	case "$state" in *'"state":"stored"'*'"live":true'*) break ;; esac
	sleep 0.5
done
case "$state" in *'"state":"stored"'*) ;; *) echo "the file was not stored: $state" >&2; exit 1 ;; esac
code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$base/r$NAME")
echo "GET $base/r$NAME answers $code" >&2
case "$code" in 302*) ;; *) echo "expected a 302" >&2; exit 1 ;; esac

nginx_port=$(free_port)
mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $work/nginx/body;
	proxy_temp_path $work/nginx/proxy;
	fastcgi_temp_path $work/nginx/fastcgi;
	uwsgi_temp_path $work/nginx/uwsgi;
	scgi_temp_path $work/nginx/scgi;
	server {
		listen 127.0.0.1:$nginx_port;
		location / { return 302 http://127.0.0.2:7072/x; }
	}
}
EOF
start_nginx "$work/nginx" "$nginx_port" 302
nginx_pid=$NGINX_PID

if [ "${BENCH_FLOORS:-0}" = 1 ]; then
	mkdir -p "$work/lib"
	(cd "$work/lib" && unzip -q -j "$ROOT/publisher-service/target/publisher-service-exec.jar" 'BOOT-INF/lib/*')
	raw_port=$(free_port)
	flux_port=$(free_port)
	# The publisher's heap; G1 as it has
	java -Xmx256m -cp "$work/lib/*" bench/redirect/Floor302.java "$raw_port" "$flux_port" >"$work/floor.log" 2>&1 &
	floor_pid=$!
	for _ in $(seq 1 120); do
		grep -q ready "$work/floor.log" && break
		sleep 0.5
	done
	grep -q ready "$work/floor.log" || { echo "Floor302 did not start:" >&2; cat "$work/floor.log" >&2; exit 1; }
fi

TICKS=$(getconf CLK_TCK)
to_ms() { python3 -c "import sys,re; v=sys.argv[1]; m=re.match(r'([0-9.]+)(us|ms|s)$', v); f={'us':0.001,'ms':1,'s':1000}[m.group(2)]; print(round(float(m.group(1))*f,2))" "$1"; }
# per_request TICKS REQUESTS: CPU microseconds per request
per_request() { python3 -c "print(round($1 / $TICKS * 1e6 / $2, 1))"; }
# wrk_run URL OUT: one wrk run; prints "requests/s p50_ms p99_ms errors requests" (errors: non-2xx/3xx answers and
# socket errors)
wrk_run() {
	local url="$1" out="$2"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_TO_RUN}s" --latency "$url" >"$out" 2>&1
	local rps p50 p99 non socket requests
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
	requests=$(awk '/requests in/ {print $1}' "$out")
	p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$out")")
	p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$out")")
	non=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
	socket=$(awk '/Socket errors:/ {s=0; for (i=1;i<=NF;i++) if ($i ~ /^[0-9]+,?$/) {gsub(",","",$i); s+=$i}; print s}' "$out")
	echo "$rps $p50 $p99 $((${non:-0} + ${socket:-0})) $requests"
}
redis_pid=$(cat "$RUN/pids/redis.pid" 2>/dev/null || true)
# The nginx master and its workers
nginx_pids() { echo "$nginx_pid" $(pgrep -P "$nginx_pid" || true); }

machine="$(nproc) cores, $(java -version 2>&1 | head -1 | sed 's/"//g')"
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench' ':!docs' 2>/dev/null || echo '+dirty')
if [ "$WARMUP" -gt 0 ]; then
	echo "Warming up: ${WARMUP} s of wrk on each" >&2
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$base/r$NAME" >/dev/null 2>&1
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$nginx_port/r$NAME" >/dev/null 2>&1
	if [ -n "$floor_pid" ]; then
		wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$raw_port/r$NAME" >/dev/null 2>&1
		wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$flux_port/r$NAME" >/dev/null 2>&1
	fi
fi
echo "| run | publisher req/s | nginx req/s | ratio | publisher p50 / p99 ms | nginx p50 / p99 ms | publisher errors | CPU µs/request: publisher + its Redis | nginx | machine | commit |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
: >"$work/results"
for i in $(seq 1 "$RUNS"); do
	if [ "$i" = 1 ] && [ -n "${BENCH_JFR:-}" ]; then
		jcmd "$publisher_pid" JFR.start name=p2 settings=profile duration="${SECONDS_TO_RUN}s" filename="$BENCH_JFR" >&2
	fi
	p_ticks=$(cpu_ticks "$publisher_pid")
	r_ticks=$(cpu_ticks $redis_pid)
	read -r p_rps p_50 p_99 p_err p_requests < <(wrk_run "$base/r$NAME" "$work/wrk-publisher-$i.txt")
	p_cpu=$(per_request $(($(cpu_ticks "$publisher_pid") - p_ticks)) "$p_requests")
	r_cpu=$(per_request $(($(cpu_ticks $redis_pid) - r_ticks)) "$p_requests")
	if [ "$i" = 1 ] && [ -n "${BENCH_JFR:-}" ]; then
		sleep 2
	fi
	# shellcheck disable=SC2046 # a list of PIDs
	n_ticks=$(cpu_ticks $(nginx_pids))
	read -r n_rps n_50 n_99 n_err n_requests < <(wrk_run "http://127.0.0.1:$nginx_port/r$NAME" "$work/wrk-nginx-$i.txt")
	# shellcheck disable=SC2046
	n_cpu=$(per_request $(($(cpu_ticks $(nginx_pids)) - n_ticks)) "$n_requests")
	ratio=$(python3 -c "print(f'{$p_rps/$n_rps:.3f}')")
	echo "$p_rps $n_rps $ratio $p_50 $p_99 $n_50 $n_99 $p_err $n_err $p_cpu $r_cpu $n_cpu" >>"$work/results"
	echo "| $i | $p_rps | $n_rps | $ratio | $p_50 / $p_99 | $n_50 / $n_99 | $p_err | $p_cpu + $r_cpu | $n_cpu | $machine | $commit |"
	[ "$n_err" = 0 ] || echo "  (nginx: $n_err errors)" >&2
	if [ -n "$floor_pid" ]; then
		f_ticks=$(cpu_ticks "$floor_pid")
		read -r a_rps a_50 a_99 a_err a_requests < <(wrk_run "http://127.0.0.1:$raw_port/r$NAME" "$work/wrk-raw-$i.txt")
		a_cpu=$(per_request $(($(cpu_ticks "$floor_pid") - f_ticks)) "$a_requests")
		f_ticks=$(cpu_ticks "$floor_pid")
		read -r w_rps w_50 w_99 w_err w_requests < <(wrk_run "http://127.0.0.1:$flux_port/r$NAME" "$work/wrk-webflux-$i.txt")
		w_cpu=$(per_request $(($(cpu_ticks "$floor_pid") - f_ticks)) "$w_requests")
		echo "| $i | $a_rps | $a_50 / $a_99 | $a_cpu | $w_rps | $w_50 / $w_99 | $w_cpu | $p_rps | $p_cpu | $n_rps | $n_cpu |" >>"$work/floors"
	fi
done
python3 - "$work/results" "$machine" "$commit" "$RUNS" "$SECONDS_TO_RUN" <<'EOF'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
col = lambda k: [r[k] for r in rows]
def cell(k, fmt):
    values = col(k)
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"
print(f"| median (min–max) of {sys.argv[4]} × {sys.argv[5]} s | {cell(0, '{:.0f}')} | {cell(1, '{:.0f}')} | {cell(2, '{:.3f}')} | "
      f"{cell(3, '{:.2f}')} / {cell(4, '{:.2f}')} | {cell(5, '{:.2f}')} / {cell(6, '{:.2f}')} | {int(sum(col(7)))} | "
      f"{cell(9, '{:.0f}')} + {cell(10, '{:.0f}')} | {cell(11, '{:.1f}')} | {sys.argv[2]} | {sys.argv[3]} |")
EOF
if [ -s "$work/floors" 2>/dev/null ]; then
	echo
	echo "| run | reactor-netty 302 req/s | p50 / p99 ms | CPU µs/request | webflux functional 302 req/s | p50 / p99 ms | CPU µs/request | publisher req/s | CPU µs/request | nginx req/s | CPU µs/request |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	cat "$work/floors"
fi
