#!/usr/bin/env bash
# Gets a local container engine running for fargated's local mode and engine tests:
#   sudo bash scripts/engine.sh
# Installs docker.io and busybox-static with apt when missing (Debian/Ubuntu), starts dockerd in
# the background when no engine answers (no systemd needed; log: /var/log/fargated-dockerd.log),
# waits until it answers, then builds the test image (scripts/test-image.sh). Safe to run again.
# FARGATED_DOCKERD_ARGS adds dockerd flags (e.g. "--iptables=false --bridge=none").
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOG="${FARGATED_DOCKERD_LOG:-/var/log/fargated-dockerd.log}"
WAIT_SECONDS="${FARGATED_ENGINE_WAIT:-60}"
say() { echo "engine: $*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "engine: this script installs packages and starts dockerd, so it needs root. Run: sudo bash scripts/engine.sh" >&2
  exit 1
fi

engine_answers() { command -v docker >/dev/null 2>&1 && docker version >/dev/null 2>&1; }
static_busybox() { [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; }

# 1. packages
missing=()
if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then missing+=(docker.io); fi
if ! static_busybox; then missing+=(busybox-static); fi
if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1 || [ ! -f /etc/debian_version ]; then
    echo "engine: missing ${missing[*]}, and this is not a Debian/Ubuntu system with apt-get." >&2
    echo "engine: install Docker Engine and a static busybox with your package manager, start the engine," >&2
    echo "engine: then run: bash scripts/test-image.sh" >&2
    exit 1
  fi
  say "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # With recommends: cgroupfs-mount mounts the cgroup hierarchies dockerd needs where no
  # systemd does (this is how the engine was verified here).
  apt-get install -y -q "${missing[@]}"
else
  say "docker and a static busybox are installed"
fi

# 2. engine
start_dockerd() {
  # shellcheck disable=SC2086
  nohup dockerd ${FARGATED_DOCKERD_ARGS:-} "$@" >>"$LOG" 2>&1 </dev/null &
  DOCKERD_PID=$!
}

wait_for_engine() {
  local tries=$((WAIT_SECONDS * 2))
  for ((i = 0; i < tries; i++)); do
    engine_answers && return 0
    if [ -n "${DOCKERD_PID:-}" ] && ! kill -0 "$DOCKERD_PID" 2>/dev/null; then return 2; fi
    sleep 0.5
  done
  return 1
}

# Without systemd nothing else mounts cgroups; cgroupfs-mount (a docker.io recommend) does.
if [ ! -d /run/systemd/system ] && command -v cgroupfs-mount >/dev/null 2>&1 && ! mountpoint -q /sys/fs/cgroup 2>/dev/null; then
  say "mounting cgroups (cgroupfs-mount)"
  cgroupfs-mount || true
fi

if engine_answers; then
  say "an engine already answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo unknown))"
else
  if [ -d /run/systemd/system ] && systemctl cat docker.service >/dev/null 2>&1; then
    say "starting docker.service with systemctl"
    systemctl start docker.service || true
  fi
  if ! engine_answers; then
    if pgrep -x dockerd >/dev/null 2>&1; then
      FOREIGN=1
      say "a dockerd process is already running (pid $(pgrep -x dockerd | tr '\n' ' ')); waiting for it to answer"
    else
      say "starting dockerd in the background (log: $LOG)"
      start_dockerd
    fi
  fi
  set +e
  wait_for_engine
  status=$?
  set -e
  if [ "$status" -eq 2 ] && grep -qi 'iptables' "$LOG"; then
    say "dockerd could not use iptables here; retrying with --iptables=false"
    start_dockerd --iptables=false
    set +e
    wait_for_engine
    status=$?
    set -e
  fi
  if [ "$status" -ne 0 ] && [ -n "${FOREIGN:-}" ]; then
    echo "engine: the running dockerd did not answer within ${WAIT_SECONDS}s; check its log, or stop it and run this script again" >&2
    exit 1
  elif [ "$status" -ne 0 ]; then
    echo "engine: the engine did not answer within ${WAIT_SECONDS}s. Last lines of $LOG:" >&2
    tail -n 20 "$LOG" >&2 || true
    exit 1
  fi
  say "engine is up ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo unknown))"
fi

if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ] && ! id -nG "$SUDO_USER" | tr ' ' '\n' | grep -qx docker; then
  say "note: $SUDO_USER cannot use /var/run/docker.sock without sudo; to allow it: sudo usermod -aG docker $SUDO_USER (then log in again)"
fi

# 3. test image
bash "$HERE/test-image.sh"
say "done"
