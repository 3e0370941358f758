#!/usr/bin/env bash
# A real single-node Apache Kafka 4.x broker (KRaft, broker + controller in one JVM) from
# Maven Central jars, without Docker. Used by the integration tests and for local runs.
#
#   deploy/local/kafka.sh fetch     gather the broker's jars into .services/kafka/lib (Maven)
#   deploy/local/kafka.sh start     fetch if needed, format storage once, start, wait until ready
#   deploy/local/kafka.sh stop      SIGTERM (SIGKILL after a bounded wait), forget the endpoint
#   deploy/local/kafka.sh status    exit 0 when the broker runs and answers
#
# Environment:
#   KAFKA_PORT              client (PLAINTEXT) port, default 9092
#   KAFKA_CONTROLLER_PORT   KRaft controller port, default 9093
#   KAFKA_DATA_DIR          everything one broker writes: data/, server.properties, kafka.pid,
#                           kafka.log, cluster.id; default <repo>/.services/kafka. Point a second
#                           broker (other ports) at another directory to run both side by side.
#   KAFKA_ENDPOINTS_FILE    where KAFKA_URL=kafka://127.0.0.1:<port> is written; default
#                           <repo>/.services/endpoints.env, or <KAFKA_DATA_DIR>/endpoints.env when
#                           KAFKA_DATA_DIR is set, so a second broker never replaces the shared URL.
#   KAFKA_LIB_DIR           the jars, default <repo>/.services/kafka/lib (shared by all brokers)
#   KAFKA_START_TIMEOUT     seconds to wait for readiness, default 90
#   KAFKA_HEAP              JVM heap, default 512m
#   KAFKA_JVM_OPTS          replaces the default GC/JIT options (see java_cmd)
#   JAVA_HOME               used when set, else java from PATH (Java 17+)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
CONF_DIR="$SCRIPT_DIR/kafka"
# shellcheck source=endpoints.sh
. "$SCRIPT_DIR/endpoints.sh"
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"
SERVICES_DIR="$REPO_ROOT/.services"

KAFKA_PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
LIB_DIR="${KAFKA_LIB_DIR:-$SERVICES_DIR/kafka/lib}"
if [[ -n "${KAFKA_DATA_DIR:-}" ]]; then
    STATE_DIR="$KAFKA_DATA_DIR"
    ENDPOINTS_FILE="${KAFKA_ENDPOINTS_FILE:-$STATE_DIR/endpoints.env}"
else
    STATE_DIR="$SERVICES_DIR/kafka"
    ENDPOINTS_FILE="${KAFKA_ENDPOINTS_FILE:-$SERVICES_DIR/endpoints.env}"
fi
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT=60
HEAP="${KAFKA_HEAP:-512m}"

PID_FILE="$STATE_DIR/kafka.pid"
LOG_FILE="$STATE_DIR/kafka.log"
CONFIG_FILE="$STATE_DIR/server.properties"
CLUSTER_ID_FILE="$STATE_DIR/cluster.id"
LOG_DIRS="$STATE_DIR/data"
VENV_PY="$REPO_ROOT/.venv/bin/python"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

SERVICE=kafka

JAVA_MISSING="java not found (install a JDK 17+ or set JAVA_HOME)"


lib_complete() {
    [[ -f "$LIB_DIR/.complete" ]] && [[ "$(cat "$LIB_DIR/.complete")" == "$(pom_digest)" ]]
}

cmd_fetch() {
    if lib_complete; then
        log "jars already in $LIB_DIR"
        return 0
    fi
    command -v mvn >/dev/null 2>&1 || die "mvn not found (install Maven 3.8+)"
    local tmp="$LIB_DIR.partial"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    log "fetching broker jars with Maven into $LIB_DIR"
    local started=$SECONDS
    local mvn_log="$tmp.log"
    if ! mvn -B -q -Dstyle.color=never -f "$CONF_DIR/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime >"$mvn_log" 2>&1; then
        tail -n 40 "$mvn_log" >&2
        rm -rf "$tmp" "$mvn_log"
        die "mvn dependency:copy-dependencies failed"
    fi
    rm -f "$mvn_log"
    ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || die "no kafka_2.13 jar after fetch"
    pom_digest >"$tmp/.complete"
    rm -rf "$LIB_DIR"
    mv "$tmp" "$LIB_DIR"
    log "fetched $(find "$LIB_DIR" -name '*.jar' | wc -l) jars in $((SECONDS - started)) s"
}

# True when the pid file names a live broker process started by this script.
broker_alive() {
    local pid
    pid="$(read_pid)" || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
}

# A metadata request through kafka-python when the project's venv has it, else the port alone.
metadata_ok() {
    port_open "$KAFKA_PORT" || return 1
    [[ -x "$VENV_PY" ]] || return 0
    "$VENV_PY" - "$BOOTSTRAP" <<'PY' >/dev/null 2>&1
import logging
import sys

logging.disable(logging.CRITICAL)
try:
    from kafka import KafkaAdminClient
except ImportError:
    sys.exit(0)
admin = KafkaAdminClient(
    bootstrap_servers=[sys.argv[1]], request_timeout_ms=5000, bootstrap_timeout_ms=5000
)
try:
    admin.describe_cluster()
    admin.list_topics()
finally:
    admin.close()
PY
}

write_endpoint() { endpoint_set KAFKA_URL "kafka://$BOOTSTRAP"; }
remove_endpoint() { endpoint_clear KAFKA_URL; }

write_config() {
    mkdir -p "$STATE_DIR" "$LOG_DIRS"
    sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
        -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
        -e "s|@LOG_DIRS@|$LOG_DIRS|g" \
        "$CONF_DIR/server.properties.in" >"$CONFIG_FILE"
}

# The JVM options: KAFKA_JVM_OPTS replaces the defaults (C1-only JIT for a fast start; set
# KAFKA_JVM_OPTS="-XX:+UseG1GC" for long benchmark runs that want the full JIT).
java_cmd() {
    local -a opts
    # shellcheck disable=SC2206
    opts=(${KAFKA_JVM_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:TieredStopAtLevel=1})
    JAVA_ARGS=(
        "$(java_bin)" "-Xmx$HEAP" -Xms128m "${opts[@]}"
        -Djava.awt.headless=true -Xlog:cds=error -Xlog:cds+dynamic=error
        "-Dlog4j2.configurationFile=$CONF_DIR/log4j2.properties"
        -cp "$LIB_DIR/*"
    )
}

# Class data sharing roughly halves the broker's start: the first broker that stops cleanly
# leaves an archive of the classes it loaded (per JDK build, next to the jars); later starts map it.
cds_archive() {
    local jdk
    jdk="$("$(java_bin)" -version 2>&1 | sha256sum | cut -c1-12)"
    echo "$LIB_DIR/cds-$jdk.jsa"
}

# Map the archive when there is one, else ask the JVM to write one at exit; stop keeps it.
cds_option() {
    local archive="$1"
    if [[ -f "$archive" ]]; then
        echo "-XX:SharedArchiveFile=$archive"
    else
        local partial="$archive.$$.$RANDOM.partial"
        echo "$partial" >"$STATE_DIR/cds.partial"
        echo "-XX:ArchiveClassesAtExit=$partial"
    fi
}

# After a clean stop, keep the archive the broker wrote at exit (the first one wins).
cds_keep() {
    local partial archive
    partial="$(cat "$STATE_DIR/cds.partial" 2>/dev/null || true)"
    rm -f "$STATE_DIR/cds.partial"
    [[ -n "$partial" && -f "$partial" ]] || return 0
    archive="${partial%.*.*.partial}"
    if [[ -f "$archive" ]]; then
        rm -f "$partial"
    else
        mv "$partial" "$archive"
        log "saved class-data archive $(basename "$archive")"
    fi
}

format_storage() {
    if [[ -f "$LOG_DIRS/meta.properties" ]]; then
        return 0
    fi
    java_cmd
    local cluster_id
    if [[ -s "$CLUSTER_ID_FILE" ]]; then
        cluster_id="$(cat "$CLUSTER_ID_FILE")"
    else
        cluster_id="$("${JAVA_ARGS[@]}" kafka.tools.StorageTool random-uuid 2>>"$LOG_FILE" \
            | tail -n 1)" || cluster_id=""
        [[ -n "$cluster_id" ]] || { show_log_tail; die "StorageTool random-uuid failed"; }
        echo "$cluster_id" >"$CLUSTER_ID_FILE"
    fi
    log "formatting $LOG_DIRS (cluster $cluster_id)"
    if ! "${JAVA_ARGS[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$CONFIG_FILE" \
        --ignore-formatted >>"$LOG_FILE" 2>&1; then
        show_log_tail
        die "StorageTool format failed"
    fi
}

wait_ready() {
    local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            show_log_tail
            die "broker exited during startup"
        fi
        if metadata_ok; then
            return 0
        fi
        sleep 0.5
    done
    show_log_tail
    log "broker not ready after ${START_TIMEOUT} s; stopping it"
    stop_pid "$pid" || true
    exit 1
}

# start and stop of one data directory run one at a time (two test sessions may race).
lock_state() {
    mkdir -p "$STATE_DIR"
    exec 8>"$STATE_DIR/kafka.lock"
    flock -w 300 8 || die "another kafka.sh still holds $STATE_DIR/kafka.lock"
}

cmd_start() {
    lock_state
    if broker_alive; then
        local pid
        pid="$(read_pid)"
        if metadata_ok; then
            write_endpoint
            log "already running (pid $pid) at kafka://$BOOTSTRAP"
            echo "kafka://$BOOTSTRAP"
            return 0
        fi
        log "pid $pid is starting; waiting for it"
        wait_ready "$pid"
        write_endpoint
        echo "kafka://$BOOTSTRAP"
        return 0
    fi
    rm -f "$PID_FILE"
    if port_open "$KAFKA_PORT"; then
        port_taken "$KAFKA_PORT" KAFKA_PORT
    fi
    if port_open "$CONTROLLER_PORT"; then
        port_taken "$CONTROLLER_PORT" KAFKA_CONTROLLER_PORT
    fi
    java_bin >/dev/null
    cmd_fetch
    write_config
    # Keep one previous log; mark where this start begins.
    if [[ -f "$LOG_FILE" ]] && (($(stat -c %s "$LOG_FILE") > 10485760)); then
        mv "$LOG_FILE" "$LOG_FILE.1"
    fi
    echo "=== kafka.sh start $(date -u +%Y-%m-%dT%H:%M:%SZ) ===" >>"$LOG_FILE"
    format_storage
    java_cmd
    local started=$SECONDS cds
    cds="$(cds_option "$(cds_archive)")"
    log "starting broker on $BOOTSTRAP (controller 127.0.0.1:$CONTROLLER_PORT, data $LOG_DIRS)"
    # setsid: the broker outlives this script and is not hit by the caller's Ctrl-C.
    setsid "${JAVA_ARGS[@]:0:1}" "$cds" "${JAVA_ARGS[@]:1}" kafka.Kafka "$CONFIG_FILE" \
        </dev/null >>"$LOG_FILE" 2>&1 8>&- &
    local pid=$!
    echo "$pid" >"$PID_FILE"
    wait_ready "$pid"
    write_endpoint
    log "ready in $((SECONDS - started)) s (pid $pid)"
    echo "kafka://$BOOTSTRAP"
}

cmd_stop() {
    lock_state
    if ! broker_alive; then
        rm -f "$PID_FILE"
        remove_endpoint
        log "not running"
        return 0
    fi
    local pid
    pid="$(read_pid)"
    log "stopping pid $pid"
    if ! stop_pid "$pid"; then
        # Killed: a half-written class-data archive is useless.
        local partial
        partial="$(cat "$STATE_DIR/cds.partial" 2>/dev/null || true)"
        rm -f "$STATE_DIR/cds.partial" ${partial:+"$partial"}
    fi
    cds_keep
    remove_endpoint
    log "stopped"
}

cmd_status() {
    if broker_alive && port_open "$KAFKA_PORT"; then
        echo "running (pid $(read_pid)) at kafka://$BOOTSTRAP"
        return 0
    fi
    echo "not running"
    return 1
}

case "${1:-}" in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *)
        echo "usage: $0 start|stop|status|fetch" >&2
        exit 2
        ;;
esac
