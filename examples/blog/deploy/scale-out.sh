#!/usr/bin/env bash
# scale-out.sh: two tornago blog instances behind nginx, on one PostgreSQL,
# all on loopback, checked end to end with curl:
#
#   1. the first author is created through instance A, then logs in on A;
#   2. an entry posted through A is read through B (one database);
#   3. the login cookie signed by A is accepted by B (one -cookie_secret,
#      no session store);
#   4. nginx serves both, passing the client's address and scheme.
#
# Everything it starts (PostgreSQL if it was down, a fresh database, the two
# instances, nginx) is stopped and removed on exit. Exit status 0 only if
# every check passed.
#
# Run from anywhere: bash examples/blog/deploy/scale-out.sh
# As root it manages the Debian PostgreSQL cluster itself (pg_ctlcluster);
# otherwise set BLOG_DSN to a postgres:// URL of an empty database.
# BLOG_PORT_A, BLOG_PORT_B and BLOG_PORT_NGINX choose the first port tried
# for each (default 18001, 18002, 18080; the next free one is used).
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
deploy_begin scale-out blog-scale-out "all checks passed"

PG_STARTED=""    # "version cluster" if this script started PostgreSQL
DB_CREATED=""    # database this script created
PG_ROLE=tornago_blog
PG_PASSWORD=tornago_blog

as_postgres() { (cd / && runuser -u postgres -- "$@"); }

# on_exit: the database this script created goes, and PostgreSQL stops if
# this script started it.
on_exit() {
	if [[ -n $DB_CREATED ]]; then
		as_postgres dropdb -p "$PG_PORT" --if-exists "$DB_CREATED"
	fi
	if [[ -n $PG_STARTED ]]; then
		# shellcheck disable=SC2086 # two words: version and cluster
		pg_ctlcluster $PG_STARTED stop
	fi
}

# cookie JAR NAME: the value of cookie NAME in a curl cookie jar.
cookie() { awk -v n="$2" '$6 == n { v = $7 } END { print v }' "$1"; }

# body_has TEXT NAME: the last response body contains TEXT.
body_has() { grep -qF -- "$1" "$WORK/body" || fail "$2: the page does not contain '$1'"; }

# --- PostgreSQL -------------------------------------------------------------
if [[ -n ${BLOG_DSN:-} ]]; then
	DSN=$BLOG_DSN
	say "using PostgreSQL at BLOG_DSN"
else
	[[ $(id -u) -eq 0 ]] || fail "not root: set BLOG_DSN to a postgres:// URL of an empty database"
	command -v pg_lsclusters >/dev/null || fail "PostgreSQL is not installed (apt-get install postgresql)"
	read -r PG_VERSION PG_CLUSTER PG_PORT PG_STATUS _ < <(pg_lsclusters -h | head -n 1) ||
		fail "no PostgreSQL cluster (pg_createcluster)"
	if [[ $PG_STATUS != online* ]]; then
		say "starting PostgreSQL $PG_VERSION/$PG_CLUSTER"
		pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
		PG_STARTED="$PG_VERSION $PG_CLUSTER"
	fi
	for _ in $(seq 1 50); do
		as_postgres psql -p "$PG_PORT" -qAtc 'SELECT 1' >/dev/null 2>&1 && break
		sleep 0.2
	done
	if [[ -z $(as_postgres psql -p "$PG_PORT" -qAtc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'") ]]; then
		as_postgres psql -p "$PG_PORT" -qc "CREATE ROLE $PG_ROLE LOGIN PASSWORD '$PG_PASSWORD'"
	fi
	DB_CREATED="blog_scale_out_$$"
	as_postgres createdb -p "$PG_PORT" -O "$PG_ROLE" "$DB_CREATED"
	DSN="postgres://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$PG_PORT/$DB_CREATED?sslmode=disable"
	say "PostgreSQL $PG_VERSION on port $PG_PORT, fresh database $DB_CREATED"
fi

# --- the blog instances ------------------------------------------------------
build_blog

PORT[a]=$(pick_port "${BLOG_PORT_A:-18001}")
PORT[b]=$(pick_port "${BLOG_PORT_B:-18002}")
PORT_N=$(pick_port "${BLOG_PORT_NGINX:-18080}")
A=http://127.0.0.1:${PORT[a]}
B=http://127.0.0.1:${PORT[b]}
N=http://127.0.0.1:$PORT_N

BLOG_DB=$DSN
BLOG_LOGGING=info
# One after the other: the first creates the schema.
start_blog a
start_blog b
say "blog instances A on ${PORT[a]} and B on ${PORT[b]}"

# --- nginx -----------------------------------------------------------------
start_nginx a b
say "nginx on $PORT_N in front of both"

# --- 1. the first author, created through A, then a login on A -------------
JAR_CREATE=$WORK/create.jar
request "GET A /auth/create" 200 -c "$JAR_CREATE" "$A/auth/create"
XSRF=$(xsrf_from_body)
[[ -n $XSRF ]] || fail "GET A /auth/create: no _xsrf field in the form"
request "POST A /auth/create" 302 -b "$JAR_CREATE" -c "$JAR_CREATE" \
	--data-urlencode "email=author@example.com" --data-urlencode "name=Scale Out" \
	--data-urlencode "password=correct horse battery" --data-urlencode "next=/" \
	--data-urlencode "_xsrf=$XSRF" "$A/auth/create"
say "author created through A"

request "POST B /auth/create (second author)" 400 -b "$JAR_CREATE" \
	--data-urlencode "email=other@example.com" --data-urlencode "name=Other" \
	--data-urlencode "password=another password" --data-urlencode "_xsrf=$XSRF" "$B/auth/create"
say "B refuses a second author: it sees A's"

JAR_A=$WORK/a.jar
request "GET A /auth/login" 200 -c "$JAR_A" "$A/auth/login?next=%2Fcompose"
XSRF=$(xsrf_from_body)
request "POST A /auth/login" 302 -b "$JAR_A" -c "$JAR_A" \
	--data-urlencode "email=author@example.com" --data-urlencode "password=correct horse battery" \
	--data-urlencode "next=/compose" --data-urlencode "_xsrf=$XSRF" "$A/auth/login"
[[ $(location) == /compose ]] || fail "login on A redirected to '$(location)', want /compose"
USER_COOKIE=$(cookie "$JAR_A" blogdemo_user)
[[ -n $USER_COOKIE ]] || fail "login on A set no blogdemo_user cookie"
say "logged in on A"

# --- 2. an entry posted through A, read through B --------------------------
request "GET A /compose" 200 -b "$JAR_A" -c "$JAR_A" "$A/compose"
XSRF=$(xsrf_from_body)
TITLE="Written on A, read on B $$"
request "POST A /compose" 302 -b "$JAR_A" -c "$JAR_A" \
	--data-urlencode "title=$TITLE" --data-urlencode "markdown=Posted through *instance A*." \
	--data-urlencode "_xsrf=$XSRF" "$A/compose"
ENTRY=$(location)
[[ $ENTRY == /entry/* ]] || fail "POST A /compose redirected to '$ENTRY', want /entry/..."
say "entry $ENTRY posted through A"

request "GET B $ENTRY" 200 "$B$ENTRY"
body_has "$TITLE" "GET B $ENTRY"
body_has "<em>instance A</em>" "GET B $ENTRY"
request "GET B /" 200 "$B/"
body_has "$TITLE" "GET B /"
say "B serves the entry written through A"

# --- 3. A's login cookie is valid on B -------------------------------------
request "GET B /compose without a cookie" 302 "$B/compose"
[[ $(location) == /auth/login* ]] || fail "B /compose without a cookie redirected to '$(location)'"
request "GET B /compose with A's cookie" 200 -H "Cookie: blogdemo_user=$USER_COOKIE" "$B/compose"
body_has 'name="title"' "GET B /compose with A's cookie"
request "GET B $ENTRY with A's cookie" 200 -H "Cookie: blogdemo_user=$USER_COOKIE" "$B$ENTRY"
body_has "/compose?id=" "GET B $ENTRY with A's cookie (Edit this post)"
say "the login cookie signed by A is accepted by B"

# --- 4. through nginx --------------------------------------------------------
for i in 1 2 3 4; do # round robin: both instances answer
	request "GET nginx / ($i)" 200 "$N/"
	body_has "$TITLE" "GET nginx / ($i)"
done
request "GET nginx /feed" 200 "$N/feed"
body_has "$TITLE" "GET nginx /feed"
body_has "127.0.0.1:$PORT_N/feed" "GET nginx /feed (self link through the proxy's Host)"
request "GET nginx /compose with A's cookie" 200 -H "Cookie: blogdemo_user=$USER_COOKIE" "$N/compose"
grep -q "\"GET / HTTP/1.1\" 200" "$WORK/nginx/access.log" || fail "nginx logged no proxied request"
say "nginx serves the blog from both instances"
