# shellcheck shell=bash
# Sourced by kafka.sh and search.sh: what both service scripts do the same way.
# The sourcing script sets SERVICE (the log prefix), JAVA_MISSING (the message when no java is
# found), CONF_DIR (where pom.xml lives) and LOG_FILE before calling these.

# log MESSAGE...: one line on stderr, prefixed with the service's name.
log() { printf '%s: %s\n' "$SERVICE" "$*" >&2; }
# die MESSAGE...: log an error and exit 1.
die() { log "error: $*"; exit 1; }

# java_bin: $JAVA_HOME/bin/java when set, else java from PATH; dies with $JAVA_MISSING.
java_bin() {
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
        echo "$JAVA_HOME/bin/java"
    elif command -v java >/dev/null 2>&1; then
        command -v java
    else
        die "$JAVA_MISSING"
    fi
}

# pom_digest: the POM's digest, which marks a complete lib directory (an interrupted fetch is redone).
pom_digest() { sha256sum "$CONF_DIR/pom.xml" | cut -d' ' -f1; }

# port_open PORT: true when something accepts connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# port_taken PORT SETTING: die with one line saying what holds PORT (when ss can tell) and which
# setting moves the service elsewhere; a service left running by another checkout is the usual case.
port_taken() {
    local holder=""
    if command -v ss >/dev/null 2>&1; then
        holder="$(ss -Hltnp "sport = :$1" 2>/dev/null \
            | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -n 1 \
            | sed 's/users:(("//; s/",pid=/, pid /')" || true
    fi
    die "port $1 is taken by ${holder:-another process} (a service left running? stop it, or set $2)"
}

# show_log_tail: the last 40 lines of $LOG_FILE on stderr, when there is one.
show_log_tail() {
    if [[ -f "$LOG_FILE" ]]; then
        log "last lines of $LOG_FILE:"
        tail -n 40 "$LOG_FILE" >&2 || true
    fi
}

# read_pid: the pid in $PID_FILE when it holds one; fails when there is none.
read_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    echo "$pid"
}

# stop_pid PID: SIGTERM (a clean shutdown), then SIGKILL after $STOP_TIMEOUT seconds, and wait
# until the process is gone; the pid file is removed. Returns 2 when SIGKILL was needed.
stop_pid() {
    local pid="$1" deadline=$((SECONDS + STOP_TIMEOUT)) killed=0
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid still running after ${STOP_TIMEOUT} s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        killed=2
    fi
    rm -f "$PID_FILE"
    return "$killed"
}
