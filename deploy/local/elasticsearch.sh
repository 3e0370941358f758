#!/usr/bin/env bash
# A real single-node Elasticsearch 8.19 on loopback from Maven Central jars, without Docker:
# the server jar (org.elasticsearch:elasticsearch) with its dependencies on the module path and
# org.elasticsearch.plugin:transport-netty4 laid out as the distribution does
# (<home>/modules/transport-netty4/ with its jars and plugin-descriptor.properties), started by
# deploy/local/elasticsearch/EsNode.java. Security is off (x-pack is not on the class path).
#
#   deploy/local/elasticsearch.sh fetch     gather the jars into .services/elasticsearch/lib (Maven)
#   deploy/local/elasticsearch.sh start     fetch if needed, start, wait for health yellow/green
#   deploy/local/elasticsearch.sh stop      SIGTERM (SIGKILL after a bounded wait), forget the endpoint
#   deploy/local/elasticsearch.sh status    exit 0 when the node runs and answers, 3 when it does not
#
# On success `start` writes ELASTICSEARCH_URL=elasticsearch+http://127.0.0.1:<port> into
# <repo>/.services/endpoints.env (other lines are kept).
#
# What such a node lacks (not published on Maven Central): analysis-common (asciifolding and most
# filters; the built-in `standard` analyzer and `lowercase` filter are there), lang-painless,
# mapper-extras, rest-root (`GET /` answers 405). Readiness is read from `_cluster/health`.
#
# Environment:
#   ELASTICSEARCH_PORT             HTTP port, default 9201
#   ELASTICSEARCH_TRANSPORT_PORT   node-to-node port, default 9301
#   ELASTICSEARCH_DATA_DIR         everything one node writes (home/, elasticsearch.pid, .log);
#                                  default <repo>/.services/elasticsearch
#   ELASTICSEARCH_ENDPOINTS_FILE   where ELASTICSEARCH_URL is written; default
#                                  <repo>/.services/endpoints.env (or <DATA_DIR>/endpoints.env)
#   ELASTICSEARCH_LIB_DIR          the jars, default <repo>/.services/elasticsearch/lib
#   ELASTICSEARCH_START_TIMEOUT    seconds to wait for health yellow/green, default 120
#   ELASTICSEARCH_HEAP             JVM heap, default 512m
#   ELASTICSEARCH_JAVA_OPTS        extra JVM options (word-split)
#   JAVA_HOME                      used when set, else java from PATH (Java 17+)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
CONF_DIR="$SCRIPT_DIR/elasticsearch"
# shellcheck source=endpoints.sh
. "$SCRIPT_DIR/endpoints.sh"
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"
SERVICES_DIR="$REPO_ROOT/.services"

HTTP_PORT="${ELASTICSEARCH_PORT:-9201}"
TRANSPORT_PORT="${ELASTICSEARCH_TRANSPORT_PORT:-9301}"
LIB_DIR="${ELASTICSEARCH_LIB_DIR:-$SERVICES_DIR/elasticsearch/lib}"
if [[ -n "${ELASTICSEARCH_DATA_DIR:-}" ]]; then
    STATE_DIR="$ELASTICSEARCH_DATA_DIR"
    ENDPOINTS_FILE="${ELASTICSEARCH_ENDPOINTS_FILE:-$STATE_DIR/endpoints.env}"
else
    STATE_DIR="$SERVICES_DIR/elasticsearch"
    ENDPOINTS_FILE="${ELASTICSEARCH_ENDPOINTS_FILE:-$SERVICES_DIR/endpoints.env}"
fi
START_TIMEOUT="${ELASTICSEARCH_START_TIMEOUT:-120}"
STOP_TIMEOUT=60
HEAP="${ELASTICSEARCH_HEAP:-512m}"
CLUSTER_NAME="scamtrail-elasticsearch"
SCHEME="elasticsearch+http"

PID_FILE="$STATE_DIR/elasticsearch.pid"
LOG_FILE="$STATE_DIR/elasticsearch.log"
HOME_DIR="$STATE_DIR/home"
BASE_URL="http://127.0.0.1:$HTTP_PORT"

SERVICE=elasticsearch

JAVA_MISSING="no java found: install a JDK 17 (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
MODULE_DIR="$(dirname "$LIB_DIR")/modules/transport-netty4"

# EsNode.java compiled once next to the jars (Java's source-file mode would compile it again
# on every start); recompiled when the source is newer.
launcher_classes() {
    local java="$1" classes
    classes="$(dirname "$LIB_DIR")/classes"
    if [[ -f "$classes/EsNode.class" && "$classes/EsNode.class" -nt "$CONF_DIR/EsNode.java" ]]; then
        echo "$classes"
        return 0
    fi
    local javac="${java%/java}/javac"
    [[ -x "$javac" ]] || javac="$(command -v javac || true)"
    [[ -n "$javac" ]] || die "javac not found: install a JDK (not only a JRE) 17+ or set JAVA_HOME"
    local tmp="$classes.tmp.$$"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    "$javac" -nowarn -d "$tmp" --module-path "$LIB_DIR" --add-modules ALL-MODULE-PATH "$CONF_DIR/EsNode.java" >&2 \
        || { rm -rf "$tmp"; die "could not compile $CONF_DIR/EsNode.java"; }
    rm -rf "$classes"
    mv -T "$tmp" "$classes" 2>/dev/null || rm -rf "$tmp"  # a concurrent start won the race
    echo "$classes"
}


# mvn_copy PROFILE DIR: the runtime dependencies of the POM's PROFILE into DIR.
mvn_copy() {
    if ! mvn -B -q -f "$CONF_DIR/pom.xml" -P"$1" dependency:copy-dependencies \
            -DoutputDirectory="$2" -DincludeScope=runtime >"$2.mvn.log" 2>&1; then
        tail -n 30 "$2.mvn.log" >&2 || true
        rm -f "$2.mvn.log"
        return 1
    fi
    rm -f "$2.mvn.log"
}

# fetch: lib/ (the server and its dependencies, the module path) and modules/transport-netty4/
# (the module's own jars, those already in lib/ removed, and its plugin-descriptor.properties,
# which the jar carries under META-INF/es-plugins/).
fetch() {
    local marker="$LIB_DIR/.complete"
    if [[ -f "$marker" && "$(cat "$marker")" == "$(pom_digest)" && -d "$MODULE_DIR" ]]; then
        log "jars present in $LIB_DIR"
        return 0
    fi
    command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven (apt-get install maven)"
    command -v python3 >/dev/null 2>&1 || die "python3 not found (it reads the module's descriptor)"
    log "fetching the node's jars from Maven Central into $LIB_DIR"
    local tmp="$LIB_DIR.tmp.$$" mtmp="$MODULE_DIR.tmp.$$"
    rm -rf "$tmp" "$mtmp"
    mkdir -p "$tmp" "$mtmp"
    mvn_copy server "$tmp" || { rm -rf "$tmp" "$mtmp"; die "maven could not gather the server's jars"; }
    mvn_copy netty4 "$mtmp" || { rm -rf "$tmp" "$mtmp"; die "maven could not gather transport-netty4"; }
    local jar
    for jar in "$mtmp"/*.jar; do
        [[ -f "$tmp/$(basename "$jar")" ]] && rm -f "$jar"
    done
    python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
        "$(echo "$mtmp"/transport-netty4-*.jar)" \
        META-INF/es-plugins/transport-netty4/plugin-descriptor.properties \
        >"$mtmp/plugin-descriptor.properties" \
        || { rm -rf "$tmp" "$mtmp"; die "transport-netty4 jar has no plugin-descriptor.properties"; }
    pom_digest >"$tmp/.complete"
    rm -rf "$LIB_DIR" "$MODULE_DIR"
    mkdir -p "$(dirname "$LIB_DIR")" "$(dirname "$MODULE_DIR")"
    mv "$mtmp" "$MODULE_DIR"
    mv "$tmp" "$LIB_DIR"
    log "fetched $(find "$LIB_DIR" "$MODULE_DIR" -name '*.jar' | wc -l) jars"
}

# lay_out_home: the node's home as the server expects it: config/ with a console-only
# log4j2.properties (stdout goes to $LOG_FILE), modules/ pointing at the fetched module.
lay_out_home() {
    mkdir -p "$HOME_DIR/config" "$HOME_DIR/plugins" "$HOME_DIR/tmp"
    ln -sfn "$(dirname "$MODULE_DIR")" "$HOME_DIR/modules"
    cat >"$HOME_DIR/config/log4j2.properties" <<'LOG4J'
status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name] %m%n
rootLogger.level = warn
rootLogger.appenderRef.console.ref = console
logger.node.name = org.elasticsearch.node.Node
logger.node.level = info
LOG4J
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

set_endpoint() { endpoint_set ELASTICSEARCH_URL "$SCHEME://127.0.0.1:$HTTP_PORT"; }
clear_endpoint() { endpoint_clear ELASTICSEARCH_URL; }

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
            echo "ELASTICSEARCH_URL=$SCHEME://127.0.0.1:$HTTP_PORT"
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
            port_taken "$HTTP_PORT" ELASTICSEARCH_PORT
        fi
        if port_open "$TRANSPORT_PORT"; then
            port_taken "$TRANSPORT_PORT" ELASTICSEARCH_TRANSPORT_PORT
        fi
        lay_out_home
        log "starting Elasticsearch on $BASE_URL (heap $HEAP, log $LOG_FILE)"
        # setsid: the node outlives the shell (or pytest session) that started it.
        # ELASTICSEARCH_JAVA_OPTS is word-split on purpose (several options in one variable).
        # shellcheck disable=SC2086
        setsid "$java" -Xms256m "-Xmx$HEAP" -XX:+UseG1GC -XX:+HeapDumpOnOutOfMemoryError \
            "-XX:HeapDumpPath=$STATE_DIR" -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
            -Dlog4j2.formatMsgNoLookups=true -Dlog4j.shutdownHookEnabled=false \
            -Dio.netty.noUnsafe=true -Dio.netty.recycler.maxCapacityPerThread=0 \
            "-Djava.io.tmpdir=$HOME_DIR/tmp" \
            ${ELASTICSEARCH_JAVA_OPTS:-} --module-path "$LIB_DIR" --add-modules ALL-MODULE-PATH \
            -cp "$classes" EsNode \
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
            echo "ELASTICSEARCH_URL=$SCHEME://127.0.0.1:$HTTP_PORT"
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
