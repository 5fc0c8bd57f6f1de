#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the tests use (as root; it re-runs itself with sudo if not).
# The server and the tray app need none of them; `npm test` needs all of them.
#   chromium          the browser tests: Playwright drives Debian's build (its own download is not used)
#   libsecret-1-dev   keytar builds from source against it where no prebuilt binary can be fetched
#   gnome-keyring     a real Secret Service for the keychain tests (with dbus-x11 for dbus-run-session)
#   xvfb              a display for anything that needs one
#   dunst, libnotify-bin  a real notification daemon and notify-send, for
#                     test/shell/linuxNotificationDaemon.test.ts (Linux toast bodies as dunst draws them)
#   postgresql        the PostgreSQL store's tests (conformance, migrations, outage, migrate-to-postgres,
#                     the server suites with --database-url): test/fixtures/postgres.ts runs initdb and
#                     postgres from /usr/lib/postgresql/*/bin in temp dirs. The cluster service the
#                     package may start is never used.
#   redis-server      the multi-node tests: test/fixtures/redis.ts starts throwaway instances
#   nginx-light       the documented reverse-proxy configs, run as child processes by
#                     test/server/nginxProxy.test.ts and test/cluster/multiNode.test.ts (three nodes)
#   python3-socketio  a third-party socket.io client (test/server/pythonClient.test.ts), with
#                     python3-requests (its long-polling) and python3-websocket (its WebSocket)
#   prometheus        for promtool only: test/server/promtool.test.ts lints a live /metrics (the
#                     package also installs a prometheus service; the tests never start it)
set -euo pipefail
# apt-get needs root. A root shell (CI, a minimal Debian container) has no sudo and needs none;
# anyone else goes through sudo, if it exists.
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo "$0" "$@"
  fi
  echo "install-system-packages.sh: run it as root (apt-get needs root, and sudo is not installed)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  chromium libsecret-1-dev gnome-keyring dbus-x11 xvfb dunst libnotify-bin ca-certificates \
  postgresql redis-server python3-socketio python3-requests python3-websocket prometheus \
  nginx-light >/dev/null
echo "System packages for the Tidings tests are installed."
