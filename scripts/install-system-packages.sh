#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the tests use (as root; it re-runs itself with sudo if not).
# The server and the tray app need none of them; `npm test` needs all of them.
#   chromium          the browser tests: Playwright drives Debian's build (its own download is not used)
#   libsecret-1-dev   keytar builds from source against it where no prebuilt binary can be fetched
#   gnome-keyring     a real Secret Service for the keychain tests (with dbus-x11 for dbus-run-session)
#   xvfb              a display for anything that needs one
#   dunst, libnotify-bin  a real notification daemon and notify-send, for
#                     test/shell/linuxNotificationDaemon.test.ts (Linux toast bodies as dunst draws them)
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
  chromium libsecret-1-dev gnome-keyring dbus-x11 xvfb dunst libnotify-bin ca-certificates >/dev/null
echo "System packages for the Tidings tests are installed."
