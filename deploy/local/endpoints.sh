# Sourced by kafka.sh and search.sh: one KEY=VALUE line per service in $ENDPOINTS_FILE
# (.services/endpoints.env), rewritten atomically under a lock so both scripts can run at once.

# endpoint_set KEY VALUE: replace KEY's line (or add it), keeping every other line.
endpoint_set() {
    mkdir -p "$(dirname "$ENDPOINTS_FILE")"
    (
        flock 9
        local tmp="$ENDPOINTS_FILE.tmp.$$"
        { grep -v "^$1=" "$ENDPOINTS_FILE" 2>/dev/null || true
          echo "$1=$2"; } >"$tmp"
        mv "$tmp" "$ENDPOINTS_FILE"
    ) 9>"$ENDPOINTS_FILE.lock"
}

# endpoint_clear KEY: remove KEY's line, keeping every other line.
endpoint_clear() {
    [[ -f "$ENDPOINTS_FILE" ]] || return 0
    (
        flock 9
        local tmp="$ENDPOINTS_FILE.tmp.$$"
        { grep -v "^$1=" "$ENDPOINTS_FILE" || true; } >"$tmp"
        mv "$tmp" "$ENDPOINTS_FILE"
    ) 9>"$ENDPOINTS_FILE.lock"
}
