#!/usr/bin/env bash
# A local Docker registry for local mode's "image pushed → redeploy": Debian's docker-registry
# (distribution 2.8) on 127.0.0.1, storing in a data folder, sending push notifications to
# fargated's /v1/registry/notifications with `Authorization: Bearer <key>`: the root (bootstrap)
# admin key, since a notification names no namespace.
#
#   bash scripts/registry.sh --url http://127.0.0.1:2475 --key fgd_…   # install if missing, (re)start
#   bash scripts/registry.sh --install                                 # only install the package (root)
#   bash scripts/registry.sh --stop                                    # stop it
#   bash scripts/registry.sh --status
#
# Options (or environment): --port N (FARGATED_REGISTRY_PORT, 5000), --url URL (FARGATED_URL),
# --key KEY (FARGATED_KEY), --dir DIR (FARGATED_REGISTRY_DIR, default /tmp/fargated-registry-PORT:
# config.yml, storage/, registry.pid, registry.log). Without --url the registry runs without
# notifications. Idempotent: a registry already running with the same config is left alone; one
# with another config is restarted. dockerd treats 127.0.0.0/8 registries as insecure, so
# `docker push 127.0.0.1:PORT/app:1` works without TLS.
set -euo pipefail

PORT="${FARGATED_REGISTRY_PORT:-5000}"
URL="${FARGATED_URL:-}"
KEY="${FARGATED_KEY:-}"
DIR="${FARGATED_REGISTRY_DIR:-}"
MODE=start
WAIT_SECONDS="${FARGATED_REGISTRY_WAIT:-20}"
say() { echo "registry: $*"; }
die() { echo "registry: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="${2:?--port needs a value}"; shift 2 ;;
    --url) URL="${2:?--url needs a value}"; shift 2 ;;
    --key) KEY="${2:?--key needs a value}"; shift 2 ;;
    --dir) DIR="${2:?--dir needs a value}"; shift 2 ;;
    --install) MODE=install; shift ;;
    --stop) MODE=stop; shift ;;
    --status) MODE=status; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -gt 0 ] && [ "$PORT" -lt 65536 ] || die "--port must be a port number (got $PORT)"
DIR="${DIR:-${TMPDIR:-/tmp}/fargated-registry-$PORT}"
PIDFILE="$DIR/registry.pid"
CONFIG="$DIR/config.yml"
LOG="$DIR/registry.log"

install_registry() {
  if command -v docker-registry >/dev/null 2>&1; then
    say "docker-registry is installed ($(command -v docker-registry))"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    die "docker-registry is not installed, and installing it needs root: sudo bash $0 --install"
  fi
  if ! command -v apt-get >/dev/null 2>&1 || [ ! -f /etc/debian_version ]; then
    die "docker-registry is not installed and this is not a Debian/Ubuntu system with apt-get; install a registry (distribution 2.x) yourself"
  fi
  say "installing docker-registry with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends docker-registry >/dev/null 2>&1 || {
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends docker-registry
  }
  command -v docker-registry >/dev/null 2>&1 || die "apt-get finished but docker-registry is not on PATH"
  say "installed $(dpkg-query -W -f '${Version}' docker-registry 2>/dev/null || echo docker-registry)"
}

# The pid in the pid file, when that process is alive and is a docker-registry.
running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q docker-registry || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

# GET /v2/ answers 200 (the registry is up and serving the API).
answers() {
  local status
  status="$( (exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n' "$PORT" >&3 && head -n 1 <&3) 2>/dev/null || true)"
  [[ "$status" == *" 200"* ]]
}

stop_registry() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PIDFILE"
    say "no registry of ours runs on port $PORT (dir $DIR)"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE"
  say "stopped the registry on 127.0.0.1:$PORT (pid $pid)"
}

yaml_quote() { printf "'%s'" "${1//\'/\'\'}"; }

write_config() {
  local out="$1"
  {
    echo "# Written by scripts/registry.sh"
    echo "version: 0.1"
    echo "log:"
    echo "  level: info"
    echo "storage:"
    echo "  filesystem:"
    echo "    rootdirectory: $(yaml_quote "$DIR/storage")"
    echo "  delete:"
    echo "    enabled: true"
    echo "http:"
    echo "  addr: 127.0.0.1:$PORT"
    echo "  headers:"
    echo "    X-Content-Type-Options: [nosniff]"
    if [ -n "$URL" ]; then
      echo "notifications:"
      echo "  events:"
      echo "    includereferences: true"
      echo "  endpoints:"
      echo "    - name: fargated"
      echo "      url: $(yaml_quote "${URL%/}/v1/registry/notifications")"
      if [ -n "$KEY" ]; then
        echo "      headers:"
        echo "        Authorization: [$(yaml_quote "Bearer $KEY")]"
      fi
      echo "      timeout: 5s"
      echo "      threshold: 5"
      echo "      backoff: 1s"
      echo "      ignore:"
      echo "        actions: [pull]"
      echo "        mediatypes:"
      echo "          - application/octet-stream"
      echo "          - application/vnd.docker.image.rootfs.diff.tar.gzip"
      echo "          - application/vnd.docker.container.image.v1+json"
      echo "          - application/vnd.oci.image.layer.v1.tar+gzip"
      echo "          - application/vnd.oci.image.config.v1+json"
    fi
  } >"$out"
  chmod 600 "$out"
}

start_registry() {
  install_registry
  mkdir -p "$DIR/storage"
  chmod 700 "$DIR"
  local next="$CONFIG.next" pid
  write_config "$next"
  if pid="$(running_pid)"; then
    if cmp -s "$next" "$CONFIG" && answers; then
      rm -f "$next"
      say "already running on 127.0.0.1:$PORT with this config (pid $pid): nothing to do"
      return 0
    fi
    say "running with another config (pid $pid): restarting"
    stop_registry
  fi
  if port_open; then
    rm -f "$next"
    die "127.0.0.1:$PORT is taken by another process (the Debian docker-registry service? stop it with: service docker-registry stop), or pick another --port"
  fi
  mv -f "$next" "$CONFIG"
  nohup setsid docker-registry serve "$CONFIG" >>"$LOG" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDFILE"
  for _ in $(seq 1 $((WAIT_SECONDS * 5))); do
    answers && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if ! answers; then
    echo "registry: the registry did not answer on 127.0.0.1:$PORT within ${WAIT_SECONDS}s. Last lines of $LOG:" >&2
    tail -n 20 "$LOG" >&2 || true
    kill -TERM "$pid" 2>/dev/null || true
    rm -f "$PIDFILE"
    exit 1
  fi
  say "started on 127.0.0.1:$PORT (pid $pid; config $CONFIG, storage $DIR/storage, log $LOG)"
  if [ -n "$URL" ]; then
    say "push notifications go to ${URL%/}/v1/registry/notifications$([ -n "$KEY" ] && echo ' with Authorization: Bearer <key>' || echo ' WITHOUT a key (fargated will answer 401)')"
  else
    say "no --url: push notifications are off"
  fi
  say "push with: docker tag IMAGE 127.0.0.1:$PORT/app:1 && docker push 127.0.0.1:$PORT/app:1"
}

case "$MODE" in
  install) install_registry ;;
  stop) stop_registry ;;
  status)
    if pid="$(running_pid)" && answers; then say "running on 127.0.0.1:$PORT (pid $pid, dir $DIR)"; else say "not running on 127.0.0.1:$PORT (dir $DIR)"; exit 3; fi ;;
  start) start_registry ;;
esac
