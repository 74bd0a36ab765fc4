#!/usr/bin/env bash
# Installs the system tools `make test` needs, from Debian's packages, only when
# they are missing:
#   chromium  - the browser the tests drive (/usr/bin/chromium; Playwright is
#               pointed at it, nothing downloads a browser of its own)
#   npm       - to install the local copies of CDN files (package-lock.json)
#   fonts-nanum - a font with Hangul (NanumGothic), for the Korean edition: its
#               figures (matplotlib) and its pages in Chromium (tests, PDF)
# Runs as root (CI, containers) or through sudo.
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
packages=()
[ -x "$CHROMIUM" ] || packages+=(chromium fonts-liberation fonts-dejavu-core)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
[ -f /usr/share/fonts/truetype/nanum/NanumGothic.ttf ] || packages+=(fonts-nanum)
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
SUDO=
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
fi
echo "ensure-system-tools: installing ${packages[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
test -x "$CHROMIUM"
command -v npm >/dev/null
test -f /usr/share/fonts/truetype/nanum/NanumGothic.ttf
"$CHROMIUM" --version 2>/dev/null || true
