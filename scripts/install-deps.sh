#!/usr/bin/env bash
# Installs the Debian packages Ballast needs when any is missing (root or sudo), then the
# npm packages from the committed lock file. Called by `make deps` (and so by test/demo).
set -euo pipefail
packages=(
  clang clang-format lld-14 libclang-rt-14-dev-wasm32 wabt binaryen gcc make
  libcriterion-dev libgmp-dev libjansson-dev libsqlite3-dev sqlite3
  libsecp256k1-dev libsodium-dev tcc libtcc-dev gnuplot-nox
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js may come from another source than Debian (which would conflict): check the command.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ -f package-lock.json ] && [ ! -d node_modules ] ; then
  npm ci --no-audit --no-fund --loglevel=error
fi
