#!/usr/bin/env bash
# Builds mediasoup's C++ worker from the installed npm package's own source
# against Debian libraries, for machines that cannot download mediasoup's
# prebuilt worker or meson's subprojects. The result is cached outside the
# clone, keyed by mediasoup's version and every build input, and its path is
# printed on stdout. A second run with the same inputs only prints the path.
# With --if-cached it never builds: exit status 3 means nothing is cached.
#
# How: meson uses an existing subprojects/<directory> without downloading, so
# each wrap gets a stub (stubs/) that takes the library from Debian; two
# libraries need adapters (adapters/): libsrtp 3's API over Debian's libsrtp 2,
# and ankerl::unordered_dense over the standard containers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
LOG_TAG=mediasoup-worker
# shellcheck source=../lib/common.sh
. "$repo/scripts/lib/common.sh"

ms_pkg="$repo/node_modules/mediasoup"
[ -f "$ms_pkg/package.json" ] || die "node_modules/mediasoup is not installed (run npm ci first)"
ms_version="$(sed -n 's/^\t*"version": "\(.*\)",$/\1/p' "$ms_pkg/package.json" | head -n 1)"
[ -n "$ms_version" ] || die "cannot read mediasoup's version"

if_cached=false
[ "${1:-}" = --if-cached ] && if_cached=true

build_packages=(build-essential python3 ninja-build pkg-config dpkg-dev
  libuv1-dev libssl-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler)
if $if_cached; then
  dpkg-query -W "${build_packages[@]}" >/dev/null 2>&1 || exit 3
else
  ensure_debian_packages "${build_packages[@]}"
fi

# Bump when a change to this script changes the binary it builds.
recipe_version=1

# Every input that changes the binary: mediasoup, this recipe, the stubs,
# adapters and patch beside it, and the Debian libraries linked in statically
# (an OpenSSL security update means a rebuild) with the compiler.
key="$( {
  echo "mediasoup $ms_version recipe $recipe_version"
  (cd "$here" && find stubs adapters ./*.patch -type f -print0 | sort -z | xargs -0 sha256sum)
  dpkg-query -W -f='${Package} ${Version}\n' "${build_packages[@]}"
} | sha256sum | cut -c1-16)"
worker_dir="$ROUNDTABLE_CACHE_DIR/mediasoup-worker/$ms_version-$key"
worker_bin="$worker_dir/mediasoup-worker"
if [ -x "$worker_bin" ]; then
  log "cached worker $worker_bin"
  echo "$worker_bin"
  exit 0
fi
$if_cached && exit 3

tools="$ROUNDTABLE_CACHE_DIR/tools"
apt_dir="$tools/apt"
mkdir -p "$tools"
work="$(mktemp -d "$ROUNDTABLE_CACHE_DIR/worker-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# apt-get with a private sources list: backports for meson >= 1.1 and deb-src
# for libsrtp2's source; the system's apt setup is left alone.
private_apt() {
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
  # The same Debian mirror the system already uses.
  local codename mirror
  codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
  mirror="$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(IDENTIFIER)' \
    | awk -v s="$codename" '$2 == s && $3 == "Packages" { print $1; exit }')"
  [ -n "$mirror" ] || die "no apt source for Debian $codename"
  printf 'deb %s %s-backports main\ndeb-src %s %s main\n' "$mirror" "$codename" "$mirror" "$codename" \
    >"$apt_dir/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache::Archives=$apt_dir/archives"
    -o APT::Sandbox::User=root -qq)
  [ -n "$(ls "$apt_dir/lists" 2>/dev/null | grep -v partial)" ] || apt-get "${opts[@]}" update
  apt-get "${opts[@]}" "$@"
}

# meson >= 1.1 (bookworm has 1.0.1): backports' pure-python package, unpacked.
meson_root="$tools/meson-backports"
if [ ! -x "$meson_root/usr/bin/meson" ]; then
  log "fetching meson from bookworm-backports"
  (cd "$work" && private_apt download "meson/$(. /etc/os-release && echo "$VERSION_CODENAME")-backports")
  rm -rf "$meson_root" && dpkg-deb -x "$work"/meson_*.deb "$meson_root"
fi
meson() { PYTHONPATH="$meson_root/usr/lib/python3/dist-packages" /usr/bin/python3 "$meson_root/usr/bin/meson" "$@"; }

# libsrtp 2, static, with OpenSSL's crypto (Debian's binary package uses NSS).
srtp_prefix="$tools/libsrtp2-openssl"
if [ ! -f "$srtp_prefix/lib/libsrtp2.a" ]; then
  log "building libsrtp2 from Debian's source package"
  (cd "$work" && private_apt source libsrtp2 >/dev/null)
  srtp_src="$(find "$work" -maxdepth 1 -type d -name 'libsrtp2-*' | head -n 1)"
  (cd "$srtp_src" && ./configure -q --enable-openssl --prefix="$srtp_prefix" CFLAGS="-O2 -fPIC" \
    && make -s -j"$(nproc)" libsrtp2.a && make -s install) >"$work/libsrtp2.log" 2>&1 \
    || { tail -n 30 "$work/libsrtp2.log" >&2; die "libsrtp2 build failed"; }
fi

log "building mediasoup-worker $ms_version (several minutes)"
src="$work/worker"
cp -a "$ms_pkg/worker" "$src"
patch -d "$work" -p1 --forward --fuzz=0 --quiet <"$here/dtls-bio-callback-return.patch" \
  || die "the DTLS patch no longer applies to mediasoup $ms_version: check whether upstream fixed the BIO_CB_RETURN test"

for wrap in "$src"/subprojects/*.wrap; do
  name="$(basename "$wrap" .wrap)"
  [ -d "$here/stubs/$name" ] || continue # wingetopt, catch2: not used on Linux
  dir="$(sed -n 's/^directory *= *//p' "$wrap")"
  cp -r "$here/stubs/$name" "$src/subprojects/$dir"
  echo '/* empty: see meson.build */' >"$src/subprojects/$dir/placeholder.c"
done
install -D -m 644 "$here/adapters/srtp.h" "$src/subprojects/$(sed -n 's/^directory *= *//p' "$src/subprojects/libsrtp3.wrap")/include/srtp.h"
install -D -m 644 "$here/adapters/ankerl/unordered_dense.h" \
  "$src/subprojects/$(sed -n 's/^directory *= *//p' "$src/subprojects/unordered-dense.wrap")/include/ankerl/unordered_dense.h"

export PKG_CONFIG_PATH="$srtp_prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
(cd "$src" && meson setup build --buildtype=release --wrap-mode=nodownload -Dprefer_static=true \
  && meson compile -C build mediasoup-worker) >"$work/build.log" 2>&1 \
  || { tail -n 60 "$work/build.log" >&2; die "worker build failed (log above)"; }

mkdir -p "$worker_dir"
strip -o "$worker_dir/mediasoup-worker.tmp" "$src/build/mediasoup-worker"
mv "$worker_dir/mediasoup-worker.tmp" "$worker_bin"
log "built $worker_bin"
echo "$worker_bin"
