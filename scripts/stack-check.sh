#!/usr/bin/env bash
# Runs docker-compose.yml for real (Redis, shop-1, shop-2, nginx) and checks, through the balancer
# only, what several instances promise: both instances serve; a cache→origin change whose POST and
# apply link land on different instances; an instance killed (SIGKILL) in the middle of a change,
# which completes on the other with nothing lost and no request waiting 2 s; the killed instance
# back in rotation; a Redis crash that loses no cart; metrics off the public port, on each
# instance's own. Then it takes everything down (volumes too).
#
#   scripts/stack-check.sh                      # with `docker compose`
#   STACK_COMPOSE=/path/to/other-compose scripts/stack-check.sh
#
# STACK_COMPOSE: the compose command to use, if not `docker compose` (any command that takes
# compose's arguments). Needs curl and openssl; uses ports 8080 and 8081. docs/deployment.md shows a
# run and explains each step. Exit status 0 only if every check held.
set -euo pipefail
cd "$(dirname "$0")/.."

read -r -a COMPOSE <<<"${STACK_COMPOSE:-docker compose}"
export SESSION_SECRET=${SESSION_SECRET:-$(openssl rand -hex 32)}
LB=http://localhost:8080
CACHE=http://127.0.0.1:8081 # the local AMP cache's origin (run by shop-1)
SLOW_S=2                    # no request through the balancer may take this long
WORK=$(mktemp -d)

compose() { "${COMPOSE[@]}" "$@"; }
say() { printf '[%s] %s\n' "$(date -u +%T)" "$*"; }
fail() {
  say "FAILED: $*"
  exit 1
}
teardown() {
  say "tearing down (compose down -v)"
  compose down -v >"$WORK/down.log" 2>&1 || cat "$WORK/down.log"
  rm -rf "$WORK"
}
trap teardown EXIT
trap 'say "FAILED: line $LINENO: $BASH_COMMAND"' ERR

# --- requests through the balancer --------------------------------------------------------------
# http NAME METHOD URL [curl args...]: one request with the cookie jar NAME. Sets STATUS, SECONDS_TAKEN,
# RID (the X-Request-Id nginx gave it, which the instance logs) and HEADERS (a file); fails on a
# request that took SLOW_S or more.
IDS="$WORK/ids"     # every request id, one a line, for `served_by`
TIMES="$WORK/times" # every request's time, method and path
touch "$TIMES"
http() {
  local jar=$WORK/$1.jar method=$2 url=$3
  shift 3
  HEADERS=$WORK/headers
  local out
  out=$(curl -4 -sS -o "$WORK/body" -D "$HEADERS" -b "$jar" -c "$jar" -X "$method" --max-time 30 \
    -w '%{http_code} %{time_total}' "$@" "$url") || fail "$method $url: no answer"
  STATUS=${out% *}
  SECONDS_TAKEN=$(printf '%.3f' "${out#* }")
  RID=$(header x-request-id)
  echo "$RID" >>"$IDS"
  echo "$SECONDS_TAKEN $method ${url%%\?*}" >>"$TIMES"
  awk -v t="$SECONDS_TAKEN" -v max="$SLOW_S" 'BEGIN { exit !(t < max) }' ||
    fail "$method $url took ${SECONDS_TAKEN} s"
}
header() { tr -d '\r' <"$HEADERS" | sed -n "s/^$1: //Ip" | tail -1; }
expect_status() { [ "$STATUS" = "$1" ] || fail "expected $1, got $STATUS ($(head -c 300 "$WORK/body"))"; }

# served_by RID...: which instance logged each request (from the instances' own logs).
served_by() {
  compose logs --no-color shop-1 >"$WORK/shop-1.log" 2>/dev/null
  compose logs --no-color shop-2 >"$WORK/shop-2.log" 2>/dev/null
  local id
  for id in "$@"; do
    if grep -q "\"id\":\"$id\"" "$WORK/shop-1.log"; then echo shop-1
    elif grep -q "\"id\":\"$id\"" "$WORK/shop-2.log"; then echo shop-2
    else echo nobody; fi
  done
}

# The cart count of shopper NAME, as the header's amp-list reads it on the origin.
cart_count() {
  http "$1" GET "$LB/api/cart/summary?__amp_source_origin=$LB" -H 'AMP-Same-Origin: true'
  expect_status 200
  sed -n 's/.*"count":\([0-9]*\).*/\1/p' "$WORK/body"
}

# A cart change posted from a page on the AMP cache whose browser blocks the shop's cookie: the
# answer is AMP-Redirect-To, an apply link on the origin. Sets APPLY and POST_RID.
post_from_cache() {
  http "$1" POST "$LB/api/cart/add?__amp_source_origin=$CACHE" -H "Origin: $CACHE" \
    -F sku=SC-NAT-100 -F quantity="$2"
  expect_status 200
  APPLY=$(header amp-redirect-to)
  POST_RID=$RID
  [ -n "$APPLY" ] || fail "no AMP-Redirect-To"
}

# Step 4 and after: open the apply link, follow the cookie check to the cart.
open_apply_link() {
  http "$1" GET "$APPLY"
  expect_status 303
  APPLY_RID=$RID
  APPLY_SECONDS=$SECONDS_TAKEN
  http "$1" GET "$LB$(header location)"
  expect_status 303
  http "$1" GET "$LB/cart"
  expect_status 200
}

# pages N: N pages through the balancer. Sets PAGES: how many each instance served, the slowest.
pages() {
  local n=$1 i ids=() slowest=0
  for ((i = 0; i < n; i++)); do
    http visitor GET "$LB/products/superclip"
    expect_status 200
    ids+=("$RID")
    slowest=$(awk -v a="$slowest" -v b="$SECONDS_TAKEN" 'BEGIN { print (b > a ? b : a) }')
  done
  PAGES=$(served_by "${ids[@]}" | sort | uniq -c | awk -v s="$slowest" \
    '{ printf "%s%s %s", sep, $2, $1; sep = ", " } END { printf " (slowest %s s)", s }')
}

# slowest_since LINE: how many requests since line LINE of $TIMES, how many were slow, the slowest.
slowest_since() {
  tail -n +"$(($1 + 1))" "$TIMES" | sort -rn |
    awk 'NR == 1 { s = $0 } $1 >= 0.5 { n++ } END { printf "%d requests, %d over 0.5 s, the slowest %s", NR, n, s }'
}

wait_until() { # wait_until SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "$what: not within the time allowed"
    sleep 1
  done
}
instance_healthy() { compose exec -T "$1" node -e "fetch('http://127.0.0.1:8080/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; }
address_of() {
  compose exec -T "$1" node -p \
    "Object.values(require('os').networkInterfaces()).flat().find((i) => i.family === 'IPv4' && !i.internal).address" |
    tr -d '\r'
}
balancer_ready() { curl -4 -fsS --max-time 2 "$LB/readyz"; }

# --- the checks ---------------------------------------------------------------------------------
say "stack check on $(date -u '+%Y-%m-%d') with: ${COMPOSE[*]}"
say "building and starting redis, shop-1, shop-2, lb"
compose up -d --build >"$WORK/up.log" 2>&1 || {
  cat "$WORK/up.log"
  fail "compose up"
}
wait_until 120 "shop-1 ready" instance_healthy shop-1
wait_until 60 "shop-2 ready" instance_healthy shop-2
wait_until 30 "the balancer answering" balancer_ready
compose ps --format 'table {{.Service}}\t{{.Image}}\t{{.Status}}' 2>/dev/null || compose ps
say "$(compose exec -T lb nginx -v 2>&1 | tr -d '\r'); $(compose exec -T redis redis-server --version | cut -d' ' -f1-3); $(compose exec -T shop-1 node --version | tr -d '\r') in the shops"

pages 8
say "1. pages through the balancer, 8 requests: $PAGES"
[[ $PAGES == *shop-1* && $PAGES == *shop-2* ]] || fail "one instance served no page"

say "2. cache→origin change: POST without cookie, then the apply link (a new visitor)"
for attempt in 1 2 3 4; do
  rm -f "$WORK/shopper-a.jar"
  post_from_cache shopper-a 2
  open_apply_link shopper-a
  read -r post_on apply_on < <(served_by "$POST_RID" "$APPLY_RID" | paste -sd ' ')
  [ "$post_on" != "$apply_on" ] && break
  say "   POST and apply link both on $post_on; again with another visitor"
done
[ "$post_on" != "$apply_on" ] || fail "POST and apply link never landed on different instances"
say "   POST on $post_on (AMP-Redirect-To), apply link on $apply_on (303, cookie set); cart count $(cart_count shopper-a)"
[ "$(cart_count shopper-a)" = 2 ] || fail "shopper-a's cart does not hold the 2 clips"

say "3. shop-1 killed (SIGKILL) between the POST and the apply link of a change"
address_before=$(address_of shop-1)
for attempt in 1 2 3 4; do
  rm -f "$WORK/shopper-b.jar"
  post_from_cache shopper-b 3 # a new visitor on the cache page: no cookie reaches the shop
  [ "$(served_by "$POST_RID")" = shop-1 ] && break
done
[ "$(served_by "$POST_RID")" = shop-1 ] || fail "no POST landed on shop-1"
say "   POST answered by shop-1: AMP-Redirect-To an apply link"
compose kill -s SIGKILL shop-1 >/dev/null 2>&1
killed_at=$(wc -l <"$TIMES")
say "   shop-1 killed; its state: $(compose ps -a --format '{{.Service}} {{.State}}' 2>/dev/null | grep shop-1 | cut -d' ' -f2)"
open_apply_link shopper-b
say "   apply link answered by $(served_by "$APPLY_RID") in ${APPLY_SECONDS} s; cart count $(cart_count shopper-b)"
[ "$(cart_count shopper-b)" = 3 ] || fail "the change made before the kill was lost"
[ "$(cart_count shopper-a)" = 2 ] || fail "shopper-a's cart changed"
pages 12
say "   12 pages with shop-1 dead: $PAGES"
[[ $PAGES != *shop-1* ]] || fail "the dead shop-1 answered"
# nginx skips a failed instance for fail_timeout (10 s), then tries it again with a real request.
sleep 11
for i in 1 2 3; do
  http shopper-b POST "$LB/api/cart/add?__amp_source_origin=$LB" -H 'AMP-Same-Origin: true' \
    -F sku=SC-NAT-100 -F quantity=1
  expect_status 200
  say "   11 s later, add to cart (POST) $i: $STATUS from $(served_by "$RID") in ${SECONDS_TAKEN} s"
done
say "   cart count $(cart_count shopper-b); since the kill: $(slowest_since "$killed_at")"
say "   nginx's log: $(compose logs --no-color lb 2>/dev/null | grep -c 'timed out) while connecting to upstream') connects to shop-1 timed out (1 s), each request passed to shop-2"
[ "$(cart_count shopper-b)" = 6 ] || fail "an add to cart was lost"

say "4. shop-1 restarted"
compose start shop-1 >/dev/null 2>&1
wait_until 60 "shop-1 ready again" instance_healthy shop-1
say "   shop-1's address: $address_before before the kill, $(address_of shop-1) now"
pages 12
say "   shop-1 ready; 12 pages: $PAGES"
if [[ $PAGES != *shop-1* ]]; then
  say "   shop-1 gets no traffic: nginx resolved 'shop-1' once, at its start (or still counts it as"
  say "   failed). Reloading nginx (graceful: running requests finish on the old workers)"
  compose exec -T lb nginx -s reload >/dev/null 2>&1
  sleep 1
  pages 12
  say "   after the reload, 12 pages: $PAGES"
  [[ $PAGES == *shop-1* ]] || fail "shop-1 is not back in rotation"
fi

say "5. Redis killed (SIGKILL) and started again: the carts come back from its append-only file"
before="a=$(cart_count shopper-a) b=$(cart_count shopper-b)"
compose kill -s SIGKILL redis >/dev/null 2>&1
http shopper-a GET "$LB/api/cart/summary?__amp_source_origin=$LB" -H 'AMP-Same-Origin: true'
say "   while Redis is down: the cart badge answers $STATUS in ${SECONDS_TAKEN} s"
compose start redis >/dev/null 2>&1
wait_until 60 "shop-1 ready with Redis back" instance_healthy shop-1
wait_until 60 "shop-2 ready with Redis back" instance_healthy shop-2
after="a=$(cart_count shopper-a) b=$(cart_count shopper-b)"
say "   carts before: $before; after: $after"
[ "$before" = "$after" ] || fail "a cart changed across the Redis restart"

say "6. metrics: not through the balancer; on each instance's own METRICS_PORT (9464)"
http visitor GET "$LB/metrics"
say "   GET /metrics through the balancer: $STATUS"
expect_status 404
for shop in shop-1 shop-2; do
  compose exec -T "$shop" node -e \
    "fetch('http://127.0.0.1:9464/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))" \
    >"$WORK/$shop.metrics"
  requests=$(awk '/^bestclips_http_request_duration_seconds_count/ { n += $2 } END { print n + 0 }' \
    "$WORK/$shop.metrics")
  flow=$(grep -E '^bestclips_(cart_changes|apply_links|orders_placed)_total' "$WORK/$shop.metrics" |
    grep -v ' 0$' | sed 's/^bestclips_//' | paste -sd ' ' || true)
  say "   $shop: $requests requests timed; flow counters: ${flow:-all 0}"
done
# shop-2 applied the link of step 3 (shop-1 was dead); shop-1's counters restarted with it.
grep -q '^bestclips_apply_links_total{outcome="applied"} [1-9]' "$WORK/shop-2.metrics" ||
  fail "shop-2's metrics do not count the link it applied"

say "all checks passed"
