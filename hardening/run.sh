#!/usr/bin/env bash
# hardening/run.sh: issue 6's long load runs against hardening/cmd/target,
# each server and client in its own process, loopback only. Called from
# .ci/run; budget 10 minutes (about 4 in practice).
#
#  1. wrk -t1 -c1000 -d60s: zero socket errors, zero non-2xx responses;
#     the target's descriptors and goroutines back to baseline after.
#  2. 10,000 idle keep-alive connections (cmd/idleclient, one request
#     each), twice: all closed by the server's idle timeout; descriptors
#     back to baseline; resident memory within 10% of a warmed-up
#     baseline after the first, and no growth from the first burst to the
#     second (checked).
#
# Environment: WRK_DURATION (60s), WRK_CONNS (1000), IDLE_CONNS (10000),
# IDLE_TIMEOUT (15s). Exit status 0 when every check passes.
set -euo pipefail
cd "$(dirname "$0")/.."

WRK_DURATION=${WRK_DURATION:-60s}
WRK_CONNS=${WRK_CONNS:-1000}
IDLE_CONNS=${IDLE_CONNS:-10000}
IDLE_TIMEOUT=${IDLE_TIMEOUT:-15s}
# Settling time: how long descriptors may take to come back after a run
# (connections close on the loop as their EOFs arrive).
SETTLE_FDS=15
# Readings of the resident memory after a burst, and seconds between them.
SETTLE_RSS_READS=3
SETTLE_RSS_GAP=2
# Warm-up rounds before the idle-connection baseline, at most (see there).
WARM_MAX=5

# Client and server each need more than 1,024 descriptors; the hard limit
# on these machines is 20,000.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((IDLE_CONNS + 200)) ]; then
	echo "run.sh: need $((IDLE_CONNS + 200)) descriptors, have $(ulimit -n)" >&2
	exit 2
fi
command -v wrk >/dev/null || { echo "run.sh: wrk not found" >&2; exit 2; }

tmp=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
check() { # check <ok> <message>
	if [ "$1" = 1 ]; then echo "PASS  $2"; else echo "FAIL  $2"; fail=1; fi
}
go build -o "$tmp/target" ./hardening/cmd/target
go build -o "$tmp/idleclient" ./hardening/cmd/idleclient
go build -o "$tmp/heapfloor" ./hardening/cmd/heapfloor

start_target() {
	rm -f "$tmp/addr"
	"$tmp/target" -addr-file "$tmp/addr" "$@" 2>>"$tmp/target.log" &
	pid=$!
	for _ in $(seq 100); do [ -s "$tmp/addr" ] && break; sleep 0.1; done
	[ -s "$tmp/addr" ] || { echo "run.sh: target did not start" >&2; cat "$tmp/target.log" >&2; exit 1; }
	read -r addr _ <"$tmp/addr"
}
stop_target() {
	kill -TERM "$pid"
	local code=0
	timeout 20 tail --pid="$pid" -f /dev/null || true
	wait "$pid" || code=$?
	pid=
	check "$([ "$code" = 0 ] && echo 1)" "target exits 0 on SIGTERM (got $code)"
}
stats() { curl -sS --max-time 5 "http://$addr/debug/stats"; }
field() { jq -r ".$1"; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
# rss_parts: the anonymous and file-backed (code, data) parts of the RSS.
rss_parts() { awk '/^RssAnon:/ {a=$2} /^RssFile:/ {f=$2} END {print a, f}' "/proc/$pid/status"; }
# classes_diff <before-json> <after-json>: the runtime's memory classes
# (/debug/stats classes_kib) that changed, in KiB.
classes_diff() {
	jq -rn --argjson a "$1" --argjson b "$2" '[$b.classes_kib | to_entries[] | select(.key != "total" and .value != $a.classes_kib[.key]) | "\(.key) \(.value - $a.classes_kib[.key] | if . > 0 then "+\(.)" else "\(.)" end)"] | join(", ")'
}

# 1. wrk at 1,000 connections.
echo "== wrk -t1 -c$WRK_CONNS -d$WRK_DURATION"
# A backlog of 1024: wrk opens all its connections at once, and a SYN
# dropped from a full 128 queue costs a 1 s retransmit.
start_target -backlog 1024
for _ in $(seq 20); do curl -sS --max-time 5 -o /dev/null "http://$addr/"; done
base=$(stats)
base_fds=$(field fds <<<"$base")
base_gor=$(field goroutines <<<"$base")
timeout 300 wrk -t1 -c"$WRK_CONNS" -d"$WRK_DURATION" --timeout 5s "http://$addr/" | tee "$tmp/wrk.txt"
requests=$(grep -oE '^ *[0-9]+ requests in' "$tmp/wrk.txt" | grep -oE '[0-9]+' || echo 0)
sockerr=$(grep -oE 'Socket errors: .*' "$tmp/wrk.txt" || true)
errsum=0
if [ -n "$sockerr" ]; then errsum=$(grep -oE '[0-9]+' <<<"$sockerr" | paste -sd+ | bc); fi
non2xx=$(grep -oE 'Non-2xx or 3xx responses: [0-9]+' "$tmp/wrk.txt" | grep -oE '[0-9]+$' || echo 0)
check "$([ "$requests" -gt 0 ] && echo 1)" "wrk completed $requests requests"
check "$([ "$errsum" = 0 ] && echo 1)" "zero socket errors (${sockerr:-none reported})"
check "$([ "$non2xx" = 0 ] && echo 1)" "zero non-2xx responses ($non2xx)"
ok=0
for _ in $(seq $SETTLE_FDS); do
	now=$(stats)
	if [ "$(field fds <<<"$now")" -le "$base_fds" ] && [ "$(field goroutines <<<"$now")" -le "$base_gor" ]; then ok=1; break; fi
	sleep 1
done
check $ok "after wrk: fds $(field fds <<<"$now") (baseline $base_fds), goroutines $(field goroutines <<<"$now") (baseline $base_gor)"
stop_target

# 2. 10,000 idle keep-alive connections.
echo "== $IDLE_CONNS idle connections (idle timeout $IDLE_TIMEOUT)"
start_target -backlog 1024 -idle-timeout "$IDLE_TIMEOUT"
# Warm-up: the same paths as the measured run (requests, connections held
# until the idle timeout closes them), on 200 connections, in rounds each
# ended by a collection, until resident memory stops growing (under 1%
# from one round to the next; at least 2 rounds, at most $WARM_MAX).
# Without it the baseline misses what any server that has run for a while
# holds: code pages first touched by the timeout path, the runtime's
# per-size caches, and the runtime's span-set metadata. The runtime keeps
# two sets per size class, used in alternate GC cycles, and allocates each
# (a 2 KiB spine and a 4.5 KiB block, never freed) the first time a cycle
# of its parity sees the class in use: after one round, a 10,000-connection
# burst allocated 71 spines, 60 of them for size classes the burst never
# grew (uprobes on runtime.(*spanSet).push; 8120 KiB baseline, +9-11%
# after the burst). The baseline levels off at the third round (8120, 8440,
# 8650, then 8680 KiB after five), and the burst then leaves 3-6%.
# Baseline and final readings are both taken after /debug/gc
# (debug.FreeOSMemory, three times): an idle server allocates nothing, so
# without it freed memory would wait for the runtime's two-minute forced
# GC; the reading is then what the server really keeps. The unforced
# figure is printed too. After a burst the reading is the settled level:
# the lowest of three, 2 s apart. A collection flushes only the page
# caches of the Ps idle when it ends, up to 512 KiB each, so one reading
# may still count free pages a P holds (in one CI run burst 1 read +9.8%
# and burst 2, in the same process, +5.4%).
secs=${IDLE_TIMEOUT%s}
prev=0
for round in $(seq "$WARM_MAX"); do
	"$tmp/idleclient" -addr "$addr" -n 200 -hold "$((${secs%.*} + 3))s" >/dev/null
	sleep 2
	base=$(curl -sS --max-time 5 "http://$addr/debug/gc")
	now=$(rss)
	echo "      warm-up round $round: RSS $now KiB"
	if [ "$round" -ge 2 ] && [ $((now - prev)) -lt $((prev / 100)) ]; then break; fi
	prev=$now
done
base_fds=$(field fds <<<"$base")
base_rss=$(rss)
read -r base_anon base_file < <(rss_parts)
# idle_burst <round>: 10,000 connections held until the idle timeout
# closes them all; then descriptors back to baseline, and the resident
# memory once settled (in $now_rss).
idle_burst() {
	local idle_start code closed opened during during_rss ok
	idle_start=$(date +%s)
	timeout 120 "$tmp/idleclient" -addr "$addr" -n "$IDLE_CONNS" -hold 90s >"$tmp/idle.txt" 2>&1 &
	client=$!
	for _ in $(seq 600); do grep -q '^open' "$tmp/idle.txt" && break; sleep 0.1; done
	during=$(stats)
	during_rss=$(rss)
	cat "$tmp/idle.txt"
	opened=$(awk '/^open/ {print $2}' "$tmp/idle.txt")
	check "$([ "${opened:-0}" = "$IDLE_CONNS" ] && echo 1)" "burst $1: $IDLE_CONNS connections served and held (open ${opened:-0}; server counts $(field connections <<<"$during"), fds $(field fds <<<"$during"))"
	echo "      RSS: baseline $base_rss KiB, with $IDLE_CONNS idle connections $during_rss KiB ($(( (during_rss - base_rss) * 1024 / IDLE_CONNS )) B per connection)"
	code=0
	wait "$client" || code=$?
	cat "$tmp/idle.txt"
	closed=$(awk '/^closed-by-server/ {print $2}' "$tmp/idle.txt")
	check "$([ "$code" = 0 ] && [ "${closed:-0}" = "$IDLE_CONNS" ] && echo 1)" "burst $1: the idle timeout closed all $IDLE_CONNS connections (closed ${closed:-0}, client exit $code, $(( $(date +%s) - idle_start )) s after the start)"
	ok=0
	for _ in $(seq $SETTLE_FDS); do
		if [ "$(field fds <<<"$(stats)")" -le "$base_fds" ]; then ok=1; break; fi
		sleep 1
	done
	check $ok "burst $1: descriptors back to baseline ($base_fds)"
	echo "      RSS once closed, before any forced GC: $(rss) KiB"
	# The settled level: the lowest of $SETTLE_RSS_READS readings after
	# /debug/gc, $SETTLE_RSS_GAP s apart (the runtime hands back what its
	# per-P caches held at one reading at a later one).
	local readings="" r v
	now_rss=
	for r in $(seq "$SETTLE_RSS_READS"); do
		[ "$r" = 1 ] || sleep "$SETTLE_RSS_GAP"
		now=$(curl -sS --max-time 5 "http://$addr/debug/gc")
		v=$(rss)
		readings="$readings $v"
		if [ -z "$now_rss" ] || [ "$v" -lt "$now_rss" ]; then now_rss=$v; fi
	done
	echo "      RSS after a forced GC: $now_rss KiB (readings:$readings; baseline $base_rss), live heap $(field heap_kib <<<"$now") KiB (baseline $(field heap_kib <<<"$base"))"
	local anon file
	read -r anon file < <(rss_parts)
	echo "      at the last reading: anonymous $((anon - base_anon)) KiB, file-backed $((file - base_file)) KiB over the baseline; runtime classes (KiB): $(classes_diff "$base" "$now")"
}

# Burst 1 against the warmed-up baseline. What stays is mostly the Go
# runtime's: span-set metadata for the size classes only the peak heap
# used (the tables' pages and their growth), span structures, free heap
# pages it keeps even after FreeOSMemory, and now and then code pages the
# burst touched. tornago's own live heap comes back to within ~30 KiB
# (tcpserver, httpserver and ioloop give back their per-connection tables;
# accept allocates nothing).
idle_burst 1
rss1=$now_rss
check "$([ "$rss1" -le $((base_rss * 110 / 100)) ] && echo 1)" "burst 1: RSS $rss1 KiB within 10% of the baseline $base_rss KiB (+$(awk -v a="$rss1" -v b="$base_rss" 'BEGIN { printf "%.1f", (a - b) * 100 / b }')%)"
# For scale: what a Go program that only allocates and frees a heap of the
# same size (one 240-byte object per connection: the stream and the
# connection), after the same kind of warm-up, keeps resident afterwards.
echo "      the Go runtime alone, for comparison: $("$tmp/heapfloor" -n "$IDLE_CONNS" -size 240 | head -n 1)"
# Burst 2: nothing accumulates. A server that has held 10,000 connections
# once comes back to the same footprint after holding them again.
idle_burst 2
check "$([ "$now_rss" -le $((rss1 * 110 / 100)) ] && echo 1)" "burst 2: RSS $now_rss KiB within 10% of its level after burst 1 ($rss1 KiB): no growth from burst to burst"
stop_target

if [ "$fail" != 0 ]; then
	echo "run.sh: FAILED; target log:" >&2
	tail -n 30 "$tmp/target.log" >&2
	exit 1
fi
echo "run.sh: all load checks passed"
