#!/usr/bin/env bash
# Start, stop or check every service the integration tests need: Kafka (deploy/local/kafka.sh),
# the search engine (deploy/local/search.sh, OpenSearch) and Elasticsearch
# (deploy/local/elasticsearch.sh). Any service that cannot start fails the command (set -e).
# Endpoints go to .services/endpoints.env.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cmd="${1:-start}"
case "$cmd" in
  start)
    bash "$here/kafka.sh" start
    bash "$here/search.sh" start
    bash "$here/elasticsearch.sh" start
    echo "endpoints ($root/.services/endpoints.env):"
    cat "$root/.services/endpoints.env"
    ;;
  stop)
    rc=0
    bash "$here/elasticsearch.sh" stop || rc=$?
    bash "$here/search.sh" stop || rc=$?
    bash "$here/kafka.sh" stop || rc=$?
    exit $rc
    ;;
  status)
    rc=0
    bash "$here/kafka.sh" status || rc=$?
    bash "$here/search.sh" status || rc=$?
    bash "$here/elasticsearch.sh" status || rc=$?
    exit $rc
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
