#!/bin/sh
# The image's one entrypoint: the first argument names the deployable, the rest are its own.
# exec, so that node is the process that receives SIGTERM and drains.
set -eu
cd /app
# kafkajs 2.2.4 schedules its request queue's throttle check with a negative delay, which Node.js
# clamps to 1 ms as it always did but, since Node 24, reports once per client (kafkajs #1751)
export NODE_OPTIONS="${NODE_OPTIONS:+${NODE_OPTIONS} }--disable-warning=TimeoutNegativeWarning"
deployable="${1:-}"
[ "$#" -gt 0 ] && shift
case "${deployable}" in
  api)        exec node dist/services/api/main.js "$@" ;;
  consumer)   exec node dist/services/consumer/main.js "$@" ;;
  aggregator) exec node dist/services/aggregator/main.js "$@" ;;
  operator)   exec node dist/services/operator/main.js "$@" ;;
  migrate)    exec node dist/services/db/migrate-main.js "$@" ;;
  *)
    echo "usage: <api|consumer|operator|aggregator [--date YYYY-MM-DD]|migrate>" >&2
    exit 2
    ;;
esac
