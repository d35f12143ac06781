#!/usr/bin/env bash
# Builds the engine-test image (default fargated-test/busybox:1) from the host's static busybox,
# without network: a root with /bin/busybox, its applet links and /etc/passwd, imported with
# CMD ["/bin/sh"]. Does nothing when the image is already there. Usable alone:
#   bash scripts/test-image.sh
set -euo pipefail

IMAGE="${FARGATED_TEST_IMAGE:-fargated-test/busybox:1}"

if ! command -v docker >/dev/null 2>&1; then
  echo "test-image: the docker CLI is not installed; run: sudo bash scripts/engine.sh" >&2
  exit 1
fi
if ! docker version >/dev/null 2>&1; then
  echo "test-image: no container engine answers (docker version failed); run: sudo bash scripts/engine.sh" >&2
  exit 1
fi
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "test-image: $IMAGE is already present"
  exit 0
fi

BUSYBOX=""
for candidate in /bin/busybox /usr/bin/busybox "$(command -v busybox 2>/dev/null || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then BUSYBOX="$candidate"; break; fi
done
if [ -z "$BUSYBOX" ]; then
  echo "test-image: no busybox found; install busybox-static (sudo apt-get install busybox-static) or run: sudo bash scripts/engine.sh" >&2
  exit 1
fi
if command -v ldd >/dev/null 2>&1 && ldd "$BUSYBOX" >/dev/null 2>&1; then
  echo "test-image: $BUSYBOX is dynamically linked and would not run in an empty image; install busybox-static" >&2
  exit 1
fi

ROOT="$(mktemp -d)"
trap 'rm -rf "$ROOT"' EXIT
chmod 755 "$ROOT"
mkdir -p "$ROOT/bin" "$ROOT/tmp" "$ROOT/etc"
cp "$BUSYBOX" "$ROOT/bin/busybox"
for applet in $("$ROOT/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$ROOT/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$ROOT/etc/passwd"
tar -C "$ROOT" -c . | docker import -c 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
echo "test-image: built $IMAGE from $BUSYBOX"
