#!/usr/bin/env bash
# Installs what sandboxed code execution needs from Debian's packages, when missing: bubblewrap (the filesystem,
# network and pid layers) and the HumanEval-X toolchains with the libraries their tests use: Python with numpy,
# Node.js, g++ with Boost and OpenSSL headers, a JDK, Go with testify (GOPATH source), and rustc/cargo with the
# rand, regex and md5 crate sources (built offline by Assay on first use). Needs root or sudo for apt-get.
#
# Packages are installed with --no-install-recommends, so every crate a default feature needs is named here:
# Debian splits a crate's optional features into packages of their own (`librust-regex+default-dev` pulls in
# aho-corasick and memchr for regex's `perf` feature and the `unicode` tables; `librust-regex-dev` alone only
# Recommends it). rand's and md5's default features are provided by their main packages.
set -euo pipefail
packages=(
  bubblewrap python3 python3-numpy nodejs g++ libboost-dev libssl-dev default-jdk-headless
  golang-go golang-github-stretchr-testify-dev rustc cargo librust-rand-dev librust-regex-dev librust-regex+default-dev
  librust-md5-dev
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# A JDK from another package (openjdk-17-jdk-headless) is as good as Debian's default one.
if command -v javac >/dev/null && command -v java >/dev/null; then
  missing=("${missing[@]/default-jdk-headless}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "== installing code-execution toolchains: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
