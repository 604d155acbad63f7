#!/usr/bin/env bash
# bench/ws.sh: WebSocket figures of issue 7: echoed messages per second on
# one core, tornago (web.Application + websocket.Handler, one IOLoop)
# against gorilla/websocket on net/http, with plain frames and with
# permessage-deflate, and resident memory per idle socket at 10,000 sockets.
# Writes its markdown section to bench/results/ws.md and prints it.
#
#   bench/ws.sh                 10 s runs, median of 3 alternating rounds (about 4 minutes)
#   BENCH_QUICK=1 bench/ws.sh   3 s runs, 1 round: a smoke test (under a minute)
#
# Environment:
#   BENCH_DURATION     measured length of each echo run (10s; QUICK: 3s)
#   BENCH_ROUNDS       alternating rounds, each figure their median (3; QUICK: 1)
#   BENCH_IDLE         idle sockets for the memory figure (10000; 0 skips)
#   BENCH_WS_CONNS     echo connections (100)
#   BENCH_WS_WINDOW    messages in flight per connection (16)
#   BENCH_WS_SIZE      bytes per message (32)
#   BENCH_WS_DEFLATE=0 skip the permessage-deflate rows
#   BENCH_QUIET_WAIT   before each run, wait up to this long for the machine
#                      to be quiet (10s; at most 40s in all; QUICK: 3s)
#   BENCH_WS_OUT       report file (bench/results/ws.md)
#   BENCH_LOCK_HELD=1  the caller (bench/run.sh) already holds the bench lock
#
# Servers run pinned to CPU 0, the client to CPU 1, all on 127.0.0.1. The
# whole run is bounded (wsbench -timeout, and timeout(1) around it); the
# servers are stopped on exit.
set -euo pipefail

# One brace group ending in exit: bash reads the whole script before running
# it, so an edit during a run cannot change the run.
{

cd "$(dirname "$0")"
BENCH=$(pwd)
ROOT=$(cd .. && pwd)

WS_QUICK=${BENCH_QUICK:-${QUICK:-0}}
if [ "$WS_QUICK" = 1 ]; then
	DURATION=${BENCH_DURATION:-3s}
	ROUNDS=${BENCH_ROUNDS:-1}
	QUIET_WAIT=${BENCH_QUIET_WAIT:-3s}
	WARMUP=500ms
else
	DURATION=${BENCH_DURATION:-10s}
	ROUNDS=${BENCH_ROUNDS:-3}
	QUIET_WAIT=${BENCH_QUIET_WAIT:-10s}
	WARMUP=1s
fi
IDLE=${BENCH_IDLE:-10000}
CONNS=${BENCH_WS_CONNS:-100}
WINDOW=${BENCH_WS_WINDOW:-16}
SIZE=${BENCH_WS_SIZE:-32}
DEFLATE=true
[ "${BENCH_WS_DEFLATE:-1}" = 0 ] && DEFLATE=false

BIN=$BENCH/bin
RES=$BENCH/results
OUT=${BENCH_WS_OUT:-$RES/ws.md}
mkdir -p "$BIN" "$RES"
log() { echo "ws.sh: $*" >&2; }

COMMAND="bench/ws.sh${*:+ $*}"
for v in BENCH_QUICK QUICK BENCH_DURATION BENCH_ROUNDS BENCH_IDLE BENCH_WS_CONNS BENCH_WS_WINDOW BENCH_WS_SIZE BENCH_WS_DEFLATE BENCH_QUIET_WAIT; do
	if [ -n "${!v:-}" ]; then COMMAND="$v=${!v} $COMMAND"; fi
done

# One bench run at a time (the lock bench/run.sh takes): two runs on one
# machine would measure each other.
if [ "${BENCH_LOCK_HELD:-0}" != 1 ]; then
	exec 9>"$RES/.lock"
	if ! flock -n 9; then
		log "another bench run is running: waiting for it (up to 1 h)"
		flock -w 3600 9 || { log "gave up waiting for the other run"; exit 1; }
	fi
fi

# 10,000 idle sockets need as many descriptors, in the servers too (the Go
# runtime also lifts its soft limit to the hard one at start).
ulimit -n "$(ulimit -Hn)"

for tool in go taskset timeout; do
	command -v "$tool" >/dev/null || { log "$tool is not installed"; exit 1; }
done
if [ "$(nproc --all)" -lt 2 ]; then
	log "needs 2 CPUs (servers on CPU 0, the client on CPU 1)"
	exit 1
fi

log "building the servers and the client"
go build -o "$BIN/" ./ws/wsbench ./ws/tornagows ./peers/gorillaws

GORILLA=$(go list -m -f '{{.Version}}' github.com/gorilla/websocket)
TORNAGO=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
QUICK_FLAG=()
[ "$WS_QUICK" = 1 ] && QUICK_FLAG=(-quick)

log "echo runs of $DURATION, $ROUNDS round(s); $IDLE idle sockets"
# The client pinned to CPU 1; wsbench pins each server to CPU 0.
timeout 330 taskset -c 1 "$BIN/wsbench" \
	-duration "$DURATION" -warmup "$WARMUP" -rounds "$ROUNDS" -idle "$IDLE" \
	-conns "$CONNS" -window "$WINDOW" -size "$SIZE" -deflate="$DEFLATE" \
	-quiet-wait "$QUIET_WAIT" -timeout 300s -server-cpu 0 \
	-out "$OUT" -command "$COMMAND" "${QUICK_FLAG[@]}" \
	-note "tornago ($TORNAGO): \`bench/ws/tornagows\`, a web.Application routing /echo to a websocket.Handler that writes each message back, served on one IOLoop." \
	-note "gorilla/websocket $GORILLA on net/http: \`bench/peers/gorillaws\`, gorilla's echo example (a goroutine per socket, ReadMessage then WriteMessage, the Upgrader's default buffers); GOMAXPROCS is 1 from the CPU pin." \
	-note "permessage-deflate: no context takeover both ways and flate level 1 on both servers (gorilla's only mode and its level; tornagows -level 1)." \
	-note "The machine may be shared: trust rows whose *other load* is a few percent; the client CPU column shows whether the client kept up." \
	-server "tornago=$BIN/tornagows -port {port} -loops 1 -compress" \
	-server "gorilla/websocket=$BIN/gorillaws -port {port} -compress"
exit
}
