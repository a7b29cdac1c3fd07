#!/usr/bin/env bash
# Sets up what the test suite needs that `npm ci` cannot install, so `npm ci && npm test` works on
# a fresh Debian machine:
#   - Debian's chromium (the playground's browser test drives it at $CHROMIUM_PATH, by default
#     /usr/bin/chromium), redis-server (the shared-cache tests start their own), and for the
#     deploy/ tests kubernetes-client (kubectl kustomize), prometheus (promtool) and haproxy
#     (haproxy -c, and the fleet test's balancer), with apt-get as root or through a sudo that needs no password;
#   - the Node.js the production image runs (the version in the Dockerfile's FROM lines), the
#     official binary that the npm registry serves as node-linux-<arch>, installed into a cache
#     folder outside the project (never into its dependencies).
# Prints that Node's path on stdout; everything else goes to stderr. With the argument `node` it
# sets up and prints the Node alone. When it cannot install something, it stops at once, before
# installing anything, and names the exact command to run.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  printf '%s\n' "$@" >&2
  exit 1
}

# The apt-get command line for the packages named after the prefix ("" or "sudo").
apt_command() {
  local prefix=${1:+$1 }
  shift
  printf '%sapt-get update && %sapt-get install -y --no-install-recommends %s' "$prefix" "$prefix" "$*"
}

# Debian's packages after chromium, in the order apt-get is asked for them, and the command each provides.
PACKAGES=(redis-server kubernetes-client prometheus haproxy)
COMMANDS=(redis-server kubectl promtool haproxy)

ensure_system_packages() {
  local chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
  local missing=()
  [ -x "$chromium" ] || missing+=(chromium)
  local i
  for i in "${!PACKAGES[@]}"; do
    command -v "${COMMANDS[$i]}" >/dev/null || missing+=("${PACKAGES[$i]}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  if ! command -v apt-get >/dev/null; then
    fail "The tests need ${missing[*]} (Debian's package names), and this machine has no apt-get." \
      "Install them with its package manager (set CHROMIUM_PATH to Chromium's path), then run npm test again."
  fi
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null; then
      fail "The tests need ${missing[*]}, and this user cannot install them (not root, no sudo). Run as root:" \
        "  $(apt_command "" "${missing[@]}")" "then run npm test again."
    elif sudo -n true 2>/dev/null; then
      sudo=(sudo)
    else
      fail "The tests need ${missing[*]}, and sudo here asks for a password. Run:" \
        "  $(apt_command sudo "${missing[@]}")" "then run npm test again."
    fi
  fi
  echo "test set-up: installing ${missing[*]} with apt-get" >&2
  # apt-get's own output goes to stderr too: stdout carries only the Node path.
  if ! { "${sudo[@]}" apt-get update && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; } >&2; then
    fail "apt-get could not install ${missing[*]}. Run:" "  $(apt_command "${sudo[*]}" "${missing[@]}")"
  fi
  [ -x "$chromium" ] || fail "apt-get installed chromium, but there is still no Chromium at $chromium: set CHROMIUM_PATH to Chromium's path (Debian's is /usr/bin/chromium)."
  for i in "${!PACKAGES[@]}"; do
    command -v "${COMMANDS[$i]}" >/dev/null || fail "apt-get installed ${PACKAGES[$i]}, but ${COMMANDS[$i]} is not on PATH ($PATH)."
  done
}

# deploy/'s kustomizations use `labels:`, which kubectl renders from 1.22 on (kustomize 4.1); Debian 12's
# kubernetes-client is 1.20, so a kubectl that came from it alone is refused here, with what to do.
check_kubectl_version() {
  local minor
  minor=$(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p' | head -n 1)
  [ -n "$minor" ] && [ "$minor" -ge 22 ] && return 0
  fail "kubectl${minor:+ 1.$minor} is too old to render deploy/'s kustomizations (they use labels:, which needs kubectl 1.22 or newer; Debian 12's kubernetes-client is 1.20)." \
    "Install kubectl 1.22 or newer from the Kubernetes project's packages, then run npm test again."
}

# The one Node version of the Dockerfile (both stages), e.g. 24.22.3.
image_node_version() {
  local versions
  versions=$(sed -n 's/^FROM node:\([0-9][0-9.]*\)-.*/\1/p' Dockerfile | sort -u)
  [[ $versions =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "The Dockerfile's FROM lines must name one exact Node version (node:X.Y.Z-...); found: ${versions:-none}"
  printf '%s\n' "$versions"
}

ensure_image_node() {
  local version arch cache dir package bin
  version=$(image_node_version)
  case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) arch=x64 ;;
    Linux/aarch64) arch=arm64 ;;
    *) fail "The npm registry's Node binaries used here are for Linux on x86_64 or aarch64, not $(uname -s)/$(uname -m): install Node $version and run its node node_modules/jest/bin/jest.js yourself." ;;
  esac
  package=node-linux-$arch@$version
  cache=${XDG_CACHE_HOME:-${HOME:?set HOME or XDG_CACHE_HOME: the Node binary goes into a cache folder under it}/.cache}
  dir=$cache/invites-gateway/node-$version
  bin=$dir/node_modules/node-linux-$arch/bin/node
  if [ ! -x "$bin" ] || [ "$("$bin" --version)" != "v$version" ]; then
    echo "test set-up: installing Node $version ($package from the npm registry) into $dir" >&2
    local partial="$dir.partial-$$"
    rm -rf "$partial"
    mkdir -p "$partial"
    # --no-save: the folder has no package.json to record it in; the project's own is untouched.
    if ! npm install --prefix "$partial" --no-save --no-package-lock --no-audit --no-fund "$package" >&2; then
      rm -rf "$partial"
      fail "npm could not install Node $version. Run:" "  npm install --prefix '$dir' --no-save --no-audit --no-fund $package"
    fi
    # Renamed into place whole, so a run that stops half-way never leaves a folder that looks
    # installed and is not; a run at the same time that got there first keeps its own.
    if [ -x "$bin" ] && [ "$("$bin" --version)" = "v$version" ]; then
      rm -rf "$partial"
    else
      rm -rf "$dir"
      mv -T "$partial" "$dir"
    fi
    [ "$("$bin" --version)" = "v$version" ] || fail "$bin is not Node $version after installing $package."
  fi
  printf '%s\n' "$bin"
}

case "${1:-all}" in
  all) ensure_system_packages && check_kubectl_version && ensure_image_node ;;
  node) ensure_image_node ;;
  *) fail "usage: scripts/test-tools.sh [node]" ;;
esac
