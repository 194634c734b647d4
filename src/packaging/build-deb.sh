#!/usr/bin/env bash
# Builds the Debian package aurorasoc-isolate_VERSION-REVISION_amd64.deb and prints its path (the last line of
# stdout; everything else goes to stderr). See src/packaging/README.md.
#
#   src/packaging/build-deb.sh [--binaries DIR] [--revision REVISION] [--output DIR] [--install-build-deps]
#
#   --binaries DIR        use aurorasoc-isolate and aurorasoc-isolate-guard already published (NativeAOT) in DIR
#                         instead of publishing them (CI and the boot test publish once and reuse)
#   --revision REVISION   the Debian revision (default: the UTC build time, YYYYMMDDHHMMSS, so a newer build of the
#                         same upstream version always sorts higher; also $AURORASOC_DEB_REVISION)
#   --output DIR          where the .deb goes (default: artifacts/deb in the repository)
#   --install-build-deps  apt-get install what the build needs when it is missing (root), then build
#
# The upstream version is VersionPrefix of Directory.Build.props, the one every assembly and `--version` carry.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly repo
readonly packaging="$repo/src/packaging"
readonly package=aurorasoc-isolate
readonly unit=aurorasoc-isolate-guard.service
readonly maintainer="${DEBFULLNAME:-AuroraSoc Packaging} <${DEBEMAIL:-packaging@aurorasoc.example}>"
# Debian packages the build runs besides the .NET SDK: dpkg-deb and dpkg-shlibdeps (dpkg-dev), the NativeAOT link
# (clang, zlib1g-dev), gzip -n.
readonly build_deps=(dpkg-dev clang zlib1g-dev gzip)

binaries=
revision=${AURORASOC_DEB_REVISION:-}
output="$repo/artifacts/deb"
install_deps=no
while [ $# -gt 0 ]; do
    case $1 in
        --binaries) binaries=$(cd "$2" && pwd); shift 2 ;;
        --revision) revision=$2; shift 2 ;;
        --output) mkdir -p "$2"; output=$(cd "$2" && pwd); shift 2 ;;
        --install-build-deps) install_deps=yes; shift ;;
        *) echo "build-deb.sh: unknown argument $1 (see the comment at the top of the script)" >&2; exit 2 ;;
    esac
done

if [ "$install_deps" = yes ]; then
    missing=()
    for dep in "${build_deps[@]}"; do
        dpkg-query -W -f='${Status}' "$dep" 2>/dev/null | grep -q 'install ok installed' || missing+=("$dep")
    done
    if [ ${#missing[@]} -ne 0 ]; then
        apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
    fi
fi

upstream=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$repo/Directory.Build.props")
homepage=$(sed -n 's:.*<RepositoryUrl>\(.*\)</RepositoryUrl>.*:\1:p' "$repo/Directory.Build.props")
[ -n "$upstream" ] || { echo "build-deb.sh: no VersionPrefix in Directory.Build.props" >&2; exit 1; }
revision=${revision:-$(date -u +%Y%m%d%H%M%S)}
if ! [[ $revision =~ ^[0-9][0-9A-Za-z.+~]*$ ]]; then
    echo "build-deb.sh: revision '$revision' is not a Debian revision (digits first, then [0-9A-Za-z.+~])" >&2
    exit 2
fi
readonly version="$upstream-$revision"

work=$(mktemp -d /tmp/aurorasoc-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ -z "$binaries" ]; then
    echo "== NativeAOT publish of aurorasoc-isolate and aurorasoc-isolate-guard" >&2
    binaries="$work/publish"
    dotnet publish "$repo/src/AuroraSoc.NetlinkIsolation.Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$binaries" >&2
fi
for executable in aurorasoc-isolate aurorasoc-isolate-guard; do
    [ -x "$binaries/$executable" ] || { echo "build-deb.sh: $binaries/$executable is missing" >&2; exit 1; }
done

echo "== man page and bash completion from the CLI's option table" >&2
# The tool as the Release build of the solution left it (CI builds it before the boot suite runs this script), unless
# a source it is built from is newer; else built and run now. MSBuild's own up-to-date check costs a minute on a busy
# machine.
tool="$packaging/AuroraSoc.NetlinkIsolation.Packaging/bin/Release/net10.0/AuroraSoc.NetlinkIsolation.Packaging.dll"
if [ -f "$tool" ] && [ -z "$(find "$repo/src/AuroraSoc.NetlinkIsolation" "$repo/src/AuroraSoc.NetlinkIsolation.Cli.Core" \
    "$packaging/AuroraSoc.NetlinkIsolation.Packaging" "$repo/Directory.Build.props" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) \
    -newer "$tool" -not -path '*/obj/*' -print -quit)" ]; then
    dotnet "$tool" "$work/generated" "$upstream" >&2
else
    dotnet run --project "$packaging/AuroraSoc.NetlinkIsolation.Packaging" -c Release -- "$work/generated" "$upstream" >&2
fi

root="$work/root"
install -d -m 0755 "$root/DEBIAN" "$root/usr/sbin" "$root/usr/lib/systemd/system" "$root/usr/share/man/man8" \
    "$root/usr/share/bash-completion/completions" "$root/usr/share/doc/$package"
# NativeAOT publishes the symbols beside the executable (.dbg); the executables ship stripped of them.
install -m 0755 "$binaries/aurorasoc-isolate" "$binaries/aurorasoc-isolate-guard" "$root/usr/sbin/"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root"/usr/sbin/*
install -m 0644 "$repo/src/AuroraSoc.NetlinkIsolation.Cli/systemd/$unit" "$root/usr/lib/systemd/system/$unit"
install -m 0644 "$work/generated/$package.8" "$root/usr/share/man/man8/$package.8"
gzip -9n "$root/usr/share/man/man8/$package.8"
ln -s "$package.8.gz" "$root/usr/share/man/man8/aurorasoc-isolate-guard.8.gz"
install -m 0644 "$work/generated/$package.bash-completion" "$root/usr/share/bash-completion/completions/$package"
ln -s "$package" "$root/usr/share/bash-completion/completions/aurorasoc-isolate-guard"
sed "s|@HOMEPAGE@|$homepage|" "$packaging/debian/copyright.in" >"$root/usr/share/doc/$package/copyright"
chmod 0644 "$root/usr/share/doc/$package/copyright"

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
    echo "$package ($version) unstable; urgency=medium"
    echo
    echo "  * Build of upstream $upstream (commit $commit); revision $revision."
    echo
    echo " -- $maintainer  $(date -u -R)"
} >"$work/changelog.Debian"
gzip -9n -c "$work/changelog.Debian" >"$root/usr/share/doc/$package/changelog.Debian.gz"
chmod 0644 "$root/usr/share/doc/$package/changelog.Debian.gz"

install -m 0755 "$packaging/debian/postinst" "$packaging/debian/prerm" "$packaging/debian/postrm" "$root/DEBIAN/"

# Depends from the shared libraries the executables link (dpkg-shlibdeps needs a debian/control to run in).
mkdir -p "$work/shlibs/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: amd64\n' "$package" "$package" >"$work/shlibs/debian/control"
depends=$(cd "$work/shlibs" && dpkg-shlibdeps -O "$root"/usr/sbin/* 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
installed_size=$(du -k -s --exclude=DEBIAN "$root" | cut -f 1)
sed -e "s|@VERSION@|$version|" -e "s|@MAINTAINER@|$maintainer|" -e "s|@DEPENDS@|$depends|" \
    -e "s|@HOMEPAGE@|$homepage|" -e "s|@INSTALLED_SIZE@|$installed_size|" \
    "$packaging/debian/control.in" >"$root/DEBIAN/control"
(cd "$root" && find usr -type f -printf '%P\n' | sort | sed 's|^|usr/|' | xargs md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

mkdir -p "$output"
deb="$output/${package}_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
echo "$deb"
