#!/usr/bin/env bash
# bench/run.sh: builds tornago's servers and the peers, runs the HTTP and the
# template benchmarks, prints the tables and writes bench/RESULTS.md.
#
#   bench/run.sh             10 s runs, median of 3 alternating rounds
#   QUICK=1 bench/run.sh     3 s runs, 1 round: a smoke test (a few minutes)
#
# Environment:
#   BENCH_DURATION   length of each wrk run (default 10s; QUICK: 3s)
#   BENCH_ROUNDS     alternating rounds, each figure their median (3; QUICK: 1)
#   BENCH_IDLE       idle keep-alive connections for the memory figure (10000; 0 skips)
#   BENCH_HTTP=0     skip the HTTP benchmarks
#   BENCH_TEMPLATES=0  skip the template benchmarks
#   BENCH_WS=0       skip the WebSocket benchmarks (bench/ws.sh)
#   BENCH_TLS=0      skip the HTTPS benchmark (bench/tls)
#   BENCH_QUIET_WAIT before each run, wait up to this long for the machine to
#                    be quiet (other people's builds and tests) (60s; QUICK: 10s)
#   BENCH_OUT        report file (default bench/RESULTS.md)
#
# Servers run pinned to CPU 0, wrk and the other clients to CPU 1, all on
# 127.0.0.1. Every step is bounded in time; the servers are stopped on exit.
set -euo pipefail

# The whole script is one brace group ending in exit, so bash reads it all
# before running any of it: an edit to this file during a run cannot change
# the run.
{

cd "$(dirname "$0")"
BENCH=$(pwd)
ROOT=$(cd .. && pwd)

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
	DURATION=${BENCH_DURATION:-3s}
	ROUNDS=${BENCH_ROUNDS:-1}
	GO_COUNT=1
	PY_NUM=20
	PY_REPEAT=1
	QUIET_WAIT=${BENCH_QUIET_WAIT:-10s}
else
	DURATION=${BENCH_DURATION:-10s}
	ROUNDS=${BENCH_ROUNDS:-3}
	GO_COUNT=3
	PY_NUM=100
	PY_REPEAT=3
	QUIET_WAIT=${BENCH_QUIET_WAIT:-60s}
fi
IDLE=${BENCH_IDLE:-10000}
OUT=${BENCH_OUT:-$BENCH/RESULTS.md}

# The command as it was given, with the settings that shaped it.
COMMAND="bench/run.sh${*:+ $*}"
for v in BENCH_IDLE BENCH_ROUNDS BENCH_DURATION BENCH_QUIET_WAIT BENCH_HTTP BENCH_TEMPLATES QUICK; do
	if [ -n "${!v:-}" ]; then COMMAND="$v=${!v} $COMMAND"; fi
done

BIN=$BENCH/bin
RES=$BENCH/results
mkdir -p "$BIN" "$RES"
NOTES=()
note() { NOTES+=(-note "$1"); echo "run.sh: $1" >&2; }
log() { echo "run.sh: $*" >&2; }

# One run at a time: two runs on one machine would measure each other.
exec 9>"$RES/.lock"
if ! flock -n 9; then
	log "another bench/run.sh is running: waiting for it (up to 1 h)"
	flock -w 3600 9 || { echo "run.sh: gave up waiting for the other run" >&2; exit 1; }
fi

TMP=$(mktemp -d)
SEED_PID=
cleanup() {
	if [ -n "$SEED_PID" ]; then kill "$SEED_PID" 2>/dev/null || true; fi
	rm -rf "$TMP"
}
trap cleanup EXIT

# 10,000 idle connections need as many descriptors, in the servers too.
ulimit -n "$(ulimit -Hn)"

for tool in go wrk taskset; do
	command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 1; }
done
if [ "$(nproc)" -lt 2 ]; then
	echo "run.sh: needs 2 CPUs (server on CPU 0, load on CPU 1)" >&2
	exit 1
fi

# The python3 that imports tornado (pyenv shims may come first on PATH).
PY=
for p in $(which -a python3 2>/dev/null); do
	if "$p" -c 'import tornado' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || note "Tornado rows skipped: no python3 on PATH imports tornado (apt install python3-tornado)"

log "building the peers and tools"
go build -o "$BIN/" ./peers/... ./idleconns ./driver ./blogseed

# build_tornago NAME PKG: builds a tornago program from the main module, if
# its package is there and builds; the row is skipped otherwise.
build_tornago() {
	local name=$1 pkg=$2
	[ -d "$ROOT/$pkg" ] || return 1
	if (cd "$ROOT" && go build -o "$BIN/$name" "./$pkg") 2>"$RES/build-$name.log"; then
		return 0
	fi
	note "$pkg skipped: it does not build yet ($(head -n 1 "$RES/build-$name.log"))"
	return 1
}

# tornago_flags BIN: the flags of issue 2/4/5 that the binary knows, for a
# quiet server on loopback.
tornago_flags() {
	local help
	help=$("$1" -h 2>&1 || true)
	local flags=""
	if grep -q -- '-address' <<<"$help"; then flags="$flags -address 127.0.0.1"; fi
	if grep -q -- '-logging' <<<"$help"; then flags="$flags -logging none"; fi
	echo "$flags"
}

# ---------------------------------------------------------------- templates
GOBENCH=
PYBENCH=
if [ "${BENCH_TEMPLATES:-1}" != 0 ]; then
	log "template benchmarks (bigtable)"
	TAGS=
	if [ -d "$ROOT/template" ] && go test -tags tornagotemplate -c -o "$BIN/template.test" ./template 2>"$RES/build-template.log"; then
		TAGS=tornagotemplate
	else
		if [ -d "$ROOT/template" ]; then
			note "tornago's template package skipped in the bigtable table: it does not build yet ($(grep -v '^#' "$RES/build-template.log" | head -n 1))"
		fi
		go test -c -o "$BIN/template.test" ./template
	fi
	# The engines must write Tornado's page before their times mean anything.
	if ! (cd template && timeout 120 "$BIN/template.test" -test.run 'WritesThePage' -test.timeout 60s >"$RES/template-check.txt" 2>&1); then
		note "a template engine did not write Tornado's page: see bench/results/template-check.txt"
		cat "$RES/template-check.txt" >&2
	fi
	"$BIN/driver" -quiet-only -quiet-wait "$QUIET_WAIT"
	(cd template && timeout 900 taskset -c 0 "$BIN/template.test" -test.run '^$' -test.bench Bigtable \
		-test.benchmem -test.count "$GO_COUNT" -test.timeout 800s) | tee "$RES/gobench.txt"
	GOBENCH=$RES/gobench.txt
	if [ -n "$PY" ]; then
		timeout 600 taskset -c 0 "$PY" template/tornado_bigtable.py -num "$PY_NUM" -repeat "$PY_REPEAT" | tee "$RES/pybench.txt"
		PYBENCH=$RES/pybench.txt
	fi
fi

# ---------------------------------------------------------------- HTTP
SERVERS=()
if [ "${BENCH_HTTP:-1}" != 0 ]; then
	HELLO_VS="fasthttp,net/http,floor"
	[ -n "$PY" ] && HELLO_VS="$HELLO_VS,tornado"
	# Two tornago hello worlds: the bare HTTPServer (examples/serverhello,
	# issue 2's targets) and Tornado's helloworld on web.Application
	# (examples/hello, issue 4's targets).
	if build_tornago tornago-server examples/serverhello; then
		SERVERS+=(-server "name=tornago-server;role=tornago;vs=$HELLO_VS;cmd=$BIN/tornago-server -port {port} -loops 1$(tornago_flags "$BIN/tornago-server")")
	fi
	if build_tornago tornago-web examples/hello; then
		SERVERS+=(-server "name=tornago-web;role=tornago;vs=$HELLO_VS;cmd=$BIN/tornago-web -port {port} -loops 1$(tornago_flags "$BIN/tornago-web")")
	fi
	SERVERS+=(
		-server "name=net/http;cmd=$BIN/nethttp -port {port} -loops 1"
		-server "name=fasthttp;cmd=$BIN/fasthttp -port {port} -loops 1"
		-server "name=floor;cmd=$BIN/floor -port {port} -loops 1"
	)
	if [ -n "$PY" ]; then
		SERVERS+=(-server "name=tornado;cmd=$PY $BENCH/peers/tornado_hello.py -port {port} -loops 1")
	fi

	# The JSON endpoint: a handler writing a small map, at /json.
	SERVERS+=(-server "name=fasthttp-json;path=/json;cmd=$BIN/fasthttpjson -port {port} -loops 1")
	# tornago's side is peers/tornagojson, a web.Application (build tag
	# tornagoweb, so this module builds before the web package exists).
	if [ -d "$ROOT/web" ]; then
		if go build -tags tornagoweb -o "$BIN/tornago-json" ./peers/tornagojson 2>"$RES/build-tornago-json.log"; then
			SERVERS+=(-server "name=tornago-json;role=tornago;path=/json;vs=fasthttp-json;cmd=$BIN/tornago-json -port {port} -loops 1")
		else
			note "tornago-json skipped: the web package does not build yet ($(grep -v '^#' "$RES/build-tornago-json.log" | head -n 1))"
		fi
	fi

	# The blog's home page with five entries, on SQLite in a fresh data dir.
	if build_tornago tornago-blog examples/blog; then
		BLOG_DATA=$TMP/blog-data
		BLOG_FLAGS="-data $BLOG_DATA$(tornago_flags "$BIN/tornago-blog")"
		log "seeding the blog with 5 entries"
		SEED_PORT=18179
		# A port nothing answers on (a refused connection fails the redirect).
		while (exec 3<>"/dev/tcp/127.0.0.1/$SEED_PORT") 2>/dev/null; do SEED_PORT=$((SEED_PORT + 1)); done
		# shellcheck disable=SC2086
		"$BIN/tornago-blog" -port "$SEED_PORT" $BLOG_FLAGS >"$RES/blog-seed.log" 2>&1 &
		SEED_PID=$!
		seeded=0
		for _ in $(seq 50); do
			sleep 0.2
			if "$BIN/blogseed" -url "http://127.0.0.1:$SEED_PORT" -entries 5 >>"$RES/blog-seed.log" 2>&1; then
				seeded=1
				break
			fi
			kill -0 "$SEED_PID" 2>/dev/null || break
		done
		kill "$SEED_PID" 2>/dev/null || true
		wait "$SEED_PID" 2>/dev/null || true
		SEED_PID=
		if [ "$seeded" = 1 ]; then
			SERVERS+=(-server "name=tornago-blog;role=tornago;vs=tornago-web;cmd=$BIN/tornago-blog -port {port} $BLOG_FLAGS")
		else
			note "blog row skipped: seeding it failed ($(tail -n 1 "$RES/blog-seed.log"))"
		fi
	fi
fi

log "running the HTTP benchmarks: $DURATION per run, $ROUNDS round(s)"
QUICK_FLAG=()
[ "$QUICK" = 1 ] && QUICK_FLAG=(-quick)
timeout 7200 "$BIN/driver" \
	-duration "$DURATION" -rounds "$ROUNDS" -idle "$IDLE" -quiet-wait "$QUIET_WAIT" \
	-pipeline-script "$BENCH/pipeline.lua" -idleconns "$BIN/idleconns" \
	-python "$PY" -gobench "$GOBENCH" -pybench "$PYBENCH" \
	-out "$OUT" -command "$COMMAND" "${QUICK_FLAG[@]}" \
	"${NOTES[@]}" "${SERVERS[@]}"

# ---------------------------------------------------------------- WebSockets
# ws.sh (tornago against gorilla/websocket) under the lock this run holds;
# its section is appended to the report the driver wrote.
if [ "${BENCH_WS:-1}" != 0 ]; then
	log "WebSocket benchmarks (bench/ws.sh)"
	if BENCH_LOCK_HELD=1 QUICK=$QUICK BENCH_IDLE=$IDLE bash "$BENCH/ws.sh" >&2; then
		{ echo; cat "$RES/ws.md"; } >>"$OUT"
	else
		printf '\n## WebSockets\n\nbench/ws.sh failed in this run: no WebSocket figures.\n' >>"$OUT"
	fi
fi
# ---------------------------------------------------------------- HTTPS
# bench/tls: what TLS on the loop costs against plain HTTP (idle memory per
# connection, keep-alive req/s), net/http over TLS for reference. Its client
# shares the machine with the server: the rows compare modes.
if [ "${BENCH_TLS:-1}" != 0 ]; then
	log "HTTPS benchmark (bench/tls)"
	TLS_N=2000
	[ "$QUICK" = 1 ] && TLS_N=500
	if go build -o "$BIN/tlsbench" ./tls && timeout 300 "$BIN/tlsbench" -n "$TLS_N" -c 16 -d "$DURATION" >"$RES/tls.txt" 2>"$RES/tls.log"; then
		cat "$RES/tls.txt" >&2
		{
			printf '\n## HTTPS on the loop (bench/tls)\n\n'
			printf '`bench/tls -n %s -c 16 -d %s`: idle memory per connection at %s connections and keep-alive req/s, server on one loop, client on the same machine.\n\n```\n' "$TLS_N" "$DURATION" "$TLS_N"
			cat "$RES/tls.txt"
			printf '```\n'
		} >>"$OUT"
	else
		printf '\n## HTTPS on the loop (bench/tls)\n\nbench/tls failed in this run: %s\n' "$(tail -n 1 "$RES/tls.log")" >>"$OUT"
	fi
fi
exit
}
