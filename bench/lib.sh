# What every benchmark in bench/ does the same way; sourced by bench/*/run.sh after `cd` to the repository root.

# free_port: a TCP port free on 127.0.0.1 now
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# cpu_ticks PID...: user + system CPU ticks of the processes (every thread); a process gone counts nothing. Ticks are
# getconf CLK_TCK a second
cpu_ticks() {
	local pid total=0
	for pid in "$@"; do
		[ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
	done
	echo "$total"
}

# build_jars LOG [MAVEN ARGUMENTS...]: builds what the benchmark runs (default: every jar) unless BENCH_NO_BUILD=1;
# on failure prints the end of LOG and exits
build_jars() {
	local log="$1"
	shift
	[ "${BENCH_NO_BUILD:-0}" != 1 ] || return 0
	local args=("$@")
	[ "${#args[@]}" -gt 0 ] || args=(package -DskipTests)
	echo "Building: ./mvnw -B -q ${args[*]}" >&2
	./mvnw -B -q "${args[@]}" >"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
}

# start_nginx PREFIX PORT CODE: starts the nginx binary in $NGINX with PREFIX/nginx.conf (daemon off, in the background;
# its PID in NGINX_PID), then waits until http://127.0.0.1:PORT/ answers CODE, else prints its error log and exits
start_nginx() {
	local prefix="$1" port="$2" code="$3"
	"$NGINX" -p "$prefix" -c "$prefix/nginx.conf" &
	NGINX_PID=$!
	for _ in $(seq 1 50); do
		curl -s -o /dev/null "http://127.0.0.1:$port/" && break
		sleep 0.1
	done
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" = "$code" ] || {
		echo "nginx did not answer $code" >&2
		cat "$prefix/logs/error.log" >&2
		kill "$NGINX_PID" 2>/dev/null || true
		exit 1
	}
}
