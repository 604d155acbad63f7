#!/usr/bin/env bash
# rolling-restart.sh: two tornago blog instances behind nginx (nginx.conf in
# this folder), a wrk load through nginx, and during it a rolling restart:
# instance 1 gets SIGTERM, must exit 0, is started again and must answer,
# and once nginx sends it requests again, instance 2 the same way.
#
# It passes when no request was lost:
#   - wrk reports no socket error (connect, read, write, timeout) and no
#     "Non-2xx or 3xx responses";
#   - nginx's access log holds only 2xx and 3xx statuses (counted by status;
#     requests nginx retried on the other instance are counted too);
#   - each instance exited 0 on SIGTERM.
#
# Both instances share one SQLite database (WAL mode, so two processes may
# use it) and one cookie secret; an author and two entries are created first
# so that the pages under load are real ones. Everything it starts is
# stopped and its files removed on exit. Takes about 40 s.
#
# Run from anywhere: bash examples/blog/deploy/rolling-restart.sh
# Needs go, curl, nginx and wrk. Without nginx or wrk it prints SKIP and
# exits 0, unless CI=true, where that is a failure.
# ROLLING_DURATION (seconds of load, default 30), ROLLING_CONNECTIONS
# (default 50) and BLOG_PORT_A, BLOG_PORT_B, BLOG_PORT_NGINX (first port
# tried for each; default 18101, 18102, 18180) change the run; with
# ROLLING_KEEP=1 the logs and the database stay in the temporary folder.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# DURATION of the wrk run: long enough for two restarts, each followed by
# nginx's fail_timeout (5 s) before the restarted instance gets requests
# again.
DURATION=${ROLLING_DURATION:-30}
CONNECTIONS=${ROLLING_CONNECTIONS:-50}
# SETTLE is the load before the first restart, so that nginx holds
# keep-alive connections to both instances when instance 1 stops.
SETTLE=3
# ROTATION_WAIT bounds the wait for nginx to send requests to a restarted
# instance again: fail_timeout (5 s) plus slack for a loaded machine.
ROTATION_WAIT=20

missing=()
for tool in go curl nginx wrk; do
	command -v "$tool" >/dev/null || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
	if [[ ${CI:-} == true ]]; then
		printf 'FAIL: rolling-restart: not installed: %s\n' "${missing[*]}" >&2
		exit 1
	fi
	printf 'SKIP: rolling-restart: not installed: %s\n' "${missing[*]}"
	exit 0
fi
[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 20 && $DURATION -le 150 ]] ||
	{ echo "FAIL: ROLLING_DURATION must be 20 to 150 seconds, not '$DURATION'" >&2; exit 1; }
[[ $CONNECTIONS =~ ^[0-9]+$ && $CONNECTIONS -ge 2 && $CONNECTIONS -le 1000 ]] ||
	{ echo "FAIL: ROLLING_CONNECTIONS must be 2 to 1000, not '$CONNECTIONS'" >&2; exit 1; }

deploy_begin rolling-restart blog-rolling "no request lost"
KEEP_WORK=${ROLLING_KEEP:-}

# on_fail: the first answers other than 2xx/3xx in nginx's access log.
on_fail() {
	if [[ -f $WORK/nginx/access.log ]]; then
		printf -- '--- first answers other than 2xx/3xx in the access log\n'
		awk -F'"' '{ split($3, f, " ") } f[1] !~ /^[23]/' "$WORK/nginx/access.log" | head -n 20
	fi
}

# now_ms: milliseconds since the epoch.
now_ms() { date +%s%3N; }

# --- the blog instances ------------------------------------------------------
build_blog

PORT[1]=$(pick_port "${BLOG_PORT_A:-18101}")
PORT[2]=$(pick_port "${BLOG_PORT_B:-18102}")
PORT_N=$(pick_port "${BLOG_PORT_NGINX:-18180}")
N=http://127.0.0.1:$PORT_N

BLOG_DB=sqlite:$WORK/blog.db
BLOG_LOGGING=warning
# One after the other: the first creates the schema.
start_blog 1
start_blog 2
say "blog instances 1 on ${PORT[1]} and 2 on ${PORT[2]}, one SQLite database"

# --- an author and two entries, so that / shows real entries ------------------
JAR=$WORK/author.jar
request "GET /auth/create" 200 -c "$JAR" "http://127.0.0.1:${PORT[1]}/auth/create"
XSRF=$(xsrf_from_body)
[[ -n $XSRF ]] || fail "GET /auth/create: no _xsrf field in the form"
request "POST /auth/create" 302 -b "$JAR" -c "$JAR" \
	--data-urlencode "email=author@example.com" --data-urlencode "name=Rolling Restart" \
	--data-urlencode "password=correct horse battery" --data-urlencode "next=/" \
	--data-urlencode "_xsrf=$XSRF" "http://127.0.0.1:${PORT[1]}/auth/create"
ENTRIES=()
for n in 1 2; do
	request "GET /compose" 200 -b "$JAR" -c "$JAR" "http://127.0.0.1:${PORT[1]}/compose"
	XSRF=$(xsrf_from_body)
	request "POST /compose" 302 -b "$JAR" -c "$JAR" \
		--data-urlencode "title=Rolling restart, entry $n" \
		--data-urlencode "markdown=Served through nginx while *both instances* restart, one after the other." \
		--data-urlencode "_xsrf=$XSRF" "http://127.0.0.1:${PORT[1]}/compose"
	ENTRIES+=("$(location)")
	[[ ${ENTRIES[-1]} == /entry/* ]] || fail "POST /compose redirected to '${ENTRIES[-1]}', want /entry/..."
done
request "GET / on instance 2" 200 "http://127.0.0.1:${PORT[2]}/"
grep -qF "Rolling restart, entry 2" "$WORK/body" || fail "instance 2 does not show the entries written through instance 1"
say "an author and two entries (${ENTRIES[*]})"

# --- nginx -----------------------------------------------------------------
start_nginx 1 2 "proxy_next_upstream error timeout" "log_format upstream"
ACCESS=$WORK/nginx/access.log
say "nginx on $PORT_N in front of both"

# --- the load ----------------------------------------------------------------
# Mostly the home page, plus the other pages a reader loads.
{
	echo 'local paths = {"/", "/", "/", "/archive", "/feed", "/auth/login",'
	printf '  "%s",\n' "${ENTRIES[@]}"
	echo '}'
	echo 'local i = 0'
	echo 'request = function()'
	echo '  i = i % #paths + 1'
	echo '  return wrk.format("GET", paths[i])'
	echo 'end'
} >"$WORK/mix.lua"

LINES_BEFORE=$(wc -l <"$ACCESS")
say "wrk: ${DURATION} s, $CONNECTIONS connections, GET ${#ENTRIES[@]} entries, /, /archive, /feed, /auth/login"
START_MS=$(now_ms)
wrk -t 2 -c "$CONNECTIONS" -d "${DURATION}s" --timeout 10s -s "$WORK/mix.lua" "$N/" >"$WORK/wrk.out" 2>&1 &
PID[wrk]=$!
sleep "$SETTLE"

# since_start: seconds since the load started, one decimal.
since_start() { local ms=$(($(now_ms) - START_MS)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }

# restart I: SIGTERM to instance I, its exit status checked, started again,
# then until nginx sends it requests again.
SUMMARY=()
restart() {
	local i=$1 pid=${PID[$1]} t0 t1 t2 t3 rc=0 mark
	kill -0 "${PID[wrk]}" 2>/dev/null || fail "the wrk run ended before instance $i was restarted; raise ROLLING_DURATION"
	say "t=$(since_start)s: SIGTERM to instance $i (pid $pid)"
	t0=$(now_ms)
	kill -TERM "$pid"
	wait "$pid" || rc=$?
	t1=$(now_ms)
	unset "PID[$i]"
	[[ $rc -eq 0 ]] || fail "instance $i exited with status $rc on SIGTERM, want 0"
	mark=$(wc -l <"$ACCESS")
	start_blog "$i"
	t2=$(now_ms)
	# Back in rotation: a request nginx sent to this instance after the
	# restart, with a 2xx or 3xx answer.
	local deadline=$(($(now_ms) + ROTATION_WAIT * 1000))
	# (grep without -q reads all its input: with -q, tail could die of
	# SIGPIPE and pipefail would call the search failed.)
	until tail -n +"$((mark + 1))" "$ACCESS" |
		grep -E "ua=\"([^\"]*, )?127\.0\.0\.1:${PORT[$i]}\" us=\"([^\"]*, )?[23][0-9][0-9]\"" >/dev/null; do
		[[ $(now_ms) -lt $deadline ]] || fail "nginx sent no request to the restarted instance $i within $ROTATION_WAIT s"
		kill -0 "${PID[wrk]}" 2>/dev/null || fail "the wrk run ended before nginx used the restarted instance $i; raise ROLLING_DURATION"
		sleep 0.2
	done
	t3=$(now_ms)
	SUMMARY+=("instance $i: exit 0 after SIGTERM in $((t1 - t0)) ms, answering again $((t2 - t1)) ms later, back in nginx's rotation after $((t3 - t2)) ms more")
	say "t=$(since_start)s: instance $i back in rotation"
}
restart 1
restart 2
kill -0 "${PID[wrk]}" 2>/dev/null || fail "the wrk run ended before both restarts were done; raise ROLLING_DURATION"
WRK_STATUS=0
wait "${PID[wrk]}" || WRK_STATUS=$?
unset 'PID[wrk]'
[[ $WRK_STATUS -eq 0 ]] || fail "wrk exited with status $WRK_STATUS: $(cat "$WORK/wrk.out")"

# --- the verdict -------------------------------------------------------------
# Let nginx write the last lines of its log: a graceful stop (SIGQUIT).
kill -QUIT "${PID[nginx]}"
wait "${PID[nginx]}" || true
unset 'PID[nginx]'

echo "--- wrk"
cat "$WORK/wrk.out"
echo "--- nginx access log during the load, by status"
tail -n +"$((LINES_BEFORE + 1))" "$ACCESS" >"$WORK/load.log"
awk -F'"' '{ split($3, f, " "); n[f[1]]++ } END { for (s in n) printf "%s %d\n", s, n[s] }' "$WORK/load.log" |
	sort >"$WORK/statuses"
sed 's/^/  status /' "$WORK/statuses"
RETRIED=$(grep -c 'ua="[^"]*, ' "$WORK/load.log" || true)
echo "  retried on the other instance: $RETRIED (upstream statuses of those:" \
	"$(grep -o 'us="[^"]*, [^"]*"' "$WORK/load.log" | sort | uniq -c | sort -rn | head -n 5 | tr -s ' ' | tr '\n' ';'))"
for i in 1 2; do
	echo "  answered by instance $i: $(grep -cE "ua=\"([^\"]*, )?127\.0\.0\.1:${PORT[$i]}\" us=\"([^\"]*, )?[23]" "$WORK/load.log" || true)"
done
echo "--- restarts"
printf '  %s\n' "${SUMMARY[@]}"

REQUESTS=$(awk '/requests in/ { print $1 }' "$WORK/wrk.out")
RPS=$(awk '/^Requests\/sec/ { print $2 }' "$WORK/wrk.out")
[[ -n $REQUESTS ]] || fail "no request count in wrk's output"
if grep -q 'Socket errors' "$WORK/wrk.out"; then
	fail "wrk: $(grep 'Socket errors' "$WORK/wrk.out")"
fi
if grep -q 'Non-2xx or 3xx' "$WORK/wrk.out"; then
	fail "wrk: $(grep 'Non-2xx or 3xx' "$WORK/wrk.out")"
fi
# A 499 is nginx noting that its client left first: wrk closes its
# connections, requests in flight included, when its run ends. Such cut-off
# requests (logged in the last two seconds of the load, at most one per
# connection, and counted in the LOGGED bound below) are wrk stopping, not a
# lost request; any other answer than 2xx/3xx, or a 499 earlier, fails.
END_CUT=$(awk -F'"' '
	match($1, /[0-9][0-9]:[0-9][0-9]:[0-9][0-9] /) {
		t = substr($1, RSTART, 2) * 3600 + substr($1, RSTART + 3, 2) * 60 + substr($1, RSTART + 6, 2)
		s[NR] = t; st[NR] = $3
	}
	END { n = 0; for (i = 1; i <= NR; i++) { split(st[i], f, " "); if (f[1] == "499" && t - s[i] >= 0 && t - s[i] <= 2) n++ } print n }
' "$WORK/load.log")
BAD=$(awk -v cut="$END_CUT" '$1 == "499" { $2 -= cut; if ($2 == 0) next } $1 !~ /^[23][0-9][0-9]$/ { print }' "$WORK/statuses" | tr '\n' ' ')
[[ $END_CUT -le $CONNECTIONS ]] || fail "$END_CUT requests cut off at the end of the run, more than the $CONNECTIONS connections"
[[ $END_CUT -eq 0 ]] || echo "  cut off by wrk stopping at the end of its run (nginx status 499): $END_CUT"
[[ -z $BAD ]] || fail "nginx answered statuses other than 2xx/3xx: $BAD (see the access log lines above)"
LOGGED=$(wc -l <"$WORK/load.log")
# wrk counts the responses it completed; nginx also logs those cut off when
# wrk stopped at the end of its run, so it may log a few more (at most one
# per connection), never fewer.
[[ $LOGGED -ge $REQUESTS && $LOGGED -le $((REQUESTS + CONNECTIONS)) ]] ||
	fail "nginx logged $LOGGED requests, wrk counted $REQUESTS"
say "summary: $REQUESTS requests in ${DURATION} s ($RPS/s) through nginx, statuses: $(tr '\n' ' ' <"$WORK/statuses"); $RETRIED retried on the other instance; both instances restarted under load, each exited 0"
