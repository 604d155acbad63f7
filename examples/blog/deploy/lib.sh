# lib.sh: what scale-out.sh and rolling-restart.sh share, sourced by both
# (not run on its own): building the blog, free ports, the blog instances,
# nginx from a temporary prefix with those ports put into nginx.conf,
# one-request checks with curl, and stopping everything on exit.
#
# A script sets -euo pipefail, sources this file and calls
#
#	deploy_begin NAME TEMP_NAME PASSED
#
# which makes $WORK (a fresh folder named after TEMP_NAME) and $SECRET, and
# arranges that on exit every process in PID is stopped and $WORK removed
# (kept if KEEP_WORK is not empty); "NAME: PASSED" is said on exit 0.
# Hooks a script may define:
#
#	on_fail   prints more to stderr after a failure's log tails
#	on_exit   runs on exit once the processes stopped, before $WORK goes
#
# start_blog reads BLOG_DB (the -db flag) and BLOG_LOGGING (-logging).
# shellcheck shell=bash

DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$DEPLOY_DIR/../../.." && pwd)

WORK=""         # the temporary folder: binary, logs, nginx prefix
SECRET=""       # the -cookie_secret every instance shares
KEEP_WORK=""    # non-empty: $WORK stays after exit
declare -A PID=()  # what this script started and still runs: instance name, "nginx", ...
declare -A PORT=() # blog instance name -> its port
PORT_N=""          # nginx's port
N=""               # http://127.0.0.1:$PORT_N
BLOG_DB=""
BLOG_LOGGING=info
DEPLOY_NAME=""
DEPLOY_PASSED=""

say() { printf '==> %s\n' "$*"; }

# fail MESSAGE: says what failed, the last lines of the instances' and
# nginx's logs, then exits 1.
fail() {
	printf 'FAIL: %s\n' "$*" >&2
	if [[ -n $WORK ]]; then
		for log in "$WORK"/blog-*.log "$WORK"/nginx/error.log; do
			[[ -f $log ]] || continue
			printf -- '--- last lines of %s\n' "${log#"$WORK"/}" >&2
			tail -n 20 "$log" >&2
		done
	fi
	if declare -F on_fail >/dev/null; then
		on_fail >&2
	fi
	exit 1
}

# deploy_begin NAME TEMP_NAME PASSED: see the top of this file.
deploy_begin() {
	DEPLOY_NAME=$1
	DEPLOY_PASSED=$3
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/$2.XXXXXX")
	# One secret shared by all instances; 256 random bits.
	SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '\n/+=')
	trap deploy_cleanup EXIT
	trap 'exit 130' INT TERM
}

deploy_cleanup() {
	local status=$?
	set +e
	local pid
	for pid in "${PID[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${PID[@]}"; do
		wait "$pid" 2>/dev/null
	done
	if declare -F on_exit >/dev/null; then
		on_exit
	fi
	if [[ -n $KEEP_WORK ]]; then
		echo "$DEPLOY_NAME: files kept in $WORK"
	else
		rm -rf "$WORK"
	fi
	if [[ $status -eq 0 ]]; then
		say "$DEPLOY_NAME: $DEPLOY_PASSED"
	fi
	exit "$status"
}

# port_free PORT: nothing listens on 127.0.0.1:PORT.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pick_port FIRST: the first free port from FIRST on, not already picked.
PICKED=" "
pick_port() {
	local p=$1
	while ! port_free "$p" || [[ $PICKED == *" $p "* ]]; do
		p=$((p + 1))
	done
	PICKED+="$p "
	echo "$p"
}

# wait_http URL PID NAME: until URL answers with a 2xx or 3xx status,
# failing if PID exits first or after 30 seconds.
wait_http() {
	local url=$1 pid=$2 name=$3
	for _ in $(seq 1 300); do
		if [[ $(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$url") == [23]?? ]]; then
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || fail "$name exited before answering at $url"
		sleep 0.1
	done
	fail "$name did not answer at $url within 30 s"
}

# request NAME EXPECTED_STATUS CURL_ARGS...: one request; the body goes to
# $WORK/body, the headers to $WORK/headers.
request() {
	local name=$1 want=$2
	shift 2
	local got
	got=$(curl -s --max-time 10 -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@") ||
		fail "$name: curl failed"
	[[ $got == "$want" ]] || fail "$name: status $got, want $want; body: $(head -c 500 "$WORK/body")"
}

# location: the Location header of the last response.
location() { grep -i '^location:' "$WORK/headers" | tr -d '\r' | sed 's/^[^:]*: *//'; }

# xsrf_from_body: the _xsrf field of the form in the last response.
xsrf_from_body() {
	grep -o 'name="_xsrf" value="[^"]*"' "$WORK/body" | head -n 1 | sed 's/.*value="\([^"]*\)"/\1/'
}

# build_blog: the blog binary, as $WORK/blog.
build_blog() {
	say "building the blog"
	(cd "$ROOT" && go build -o "$WORK/blog" ./examples/blog) || fail "go build ./examples/blog failed"
}

# start_blog I: starts instance I on ${PORT[I]} in the background (its log
# appended to $WORK/blog-I.log, its pid in ${PID[I]}) and waits until it
# answers.
start_blog() {
	local i=$1
	"$WORK/blog" -port "${PORT[$i]}" -address 127.0.0.1 -db "$BLOG_DB" \
		-data "$WORK/data-$i" -xheaders -cookie_secret "$SECRET" -logging "$BLOG_LOGGING" \
		>>"$WORK/blog-$i.log" 2>&1 &
	PID[$i]=$!
	wait_http "http://127.0.0.1:${PORT[$i]}/auth/login" "${PID[$i]}" "blog instance $i"
}

# start_nginx I J [TEXT...]: nginx.conf with instances I and J in place of
# 8001 and 8002 and $PORT_N in place of 8080, run from the prefix
# $WORK/nginx (pid in ${PID[nginx]}) once it holds those ports and every
# TEXT the script relies on; waits until nginx answers.
start_nginx() {
	local a=$1 b=$2 want
	shift 2
	command -v nginx >/dev/null || fail "nginx is not installed (apt-get install nginx)"
	mkdir -p "$WORK/nginx/tmp"
	sed -e "s/127\.0\.0\.1:8001\([; ]\)/127.0.0.1:${PORT[$a]}\1/" \
		-e "s/127\.0\.0\.1:8002\([; ]\)/127.0.0.1:${PORT[$b]}\1/" \
		-e "s/listen 127\.0\.0\.1:8080;/listen 127.0.0.1:$PORT_N;/" \
		"$DEPLOY_DIR/nginx.conf" >"$WORK/nginx/nginx.conf"
	for want in "server 127.0.0.1:${PORT[$a]} " "server 127.0.0.1:${PORT[$b]} " "listen 127.0.0.1:$PORT_N;" "$@"; do
		grep -qF "$want" "$WORK/nginx/nginx.conf" || fail "nginx.conf no longer has '$want', which this script relies on"
	done
	nginx -p "$WORK/nginx/" -c nginx.conf -e error.log -t -q || fail "nginx rejects nginx.conf"
	nginx -p "$WORK/nginx/" -c nginx.conf -e error.log -g 'daemon off;' &
	PID[nginx]=$!
	wait_http "$N/auth/login" "${PID[nginx]}" "nginx"
}
