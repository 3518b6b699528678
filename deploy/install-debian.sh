#!/usr/bin/env bash
# Debian 12 packages Samtal needs, in one place for production, the container image and the
# tests; installs only what is missing and is safe to run again.
#
#   deploy/install-debian.sh               production host: runtime + nginx
#   deploy/install-debian.sh --container   container image: runtime only (no nginx)
#   deploy/install-debian.sh --dev         development/CI: runtime + nginx + test tools
#   deploy/install-debian.sh --list [...]  print the packages for those options, install nothing
#
# Runs as root (or through sudo). apt-get output is shown only if it fails.
set -euo pipefail

# Python 3.11 and venv (Debian 12's python3 is 3.11).
PYTHON=(python3 python3-venv)
# WeasyPrint's system libraries (https://doc.courtbouillon.org/weasyprint/stable/first_steps.html)
# and the fonts the A3 PDF uses: Open Sans, DejaVu Sans as fallback, colour emoji for text
# participants type.
WEASYPRINT=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig shared-mime-info)
FONTS=(fonts-open-sans fonts-dejavu-core fonts-noto-color-emoji)
# psql / pg_dump for the operator (the app itself speaks psycopg's bundled libpq).
RUNTIME=("${PYTHON[@]}" "${WEASYPRINT[@]}" "${FONTS[@]}" postgresql-client ca-certificates)
# The reverse proxy of the Debian route (deploy/nginx/samtal.conf).
PROXY=(nginx-light)
# Tests: a throwaway PostgreSQL server, Chromium for Playwright, pdftoppm, msgfmt, the
# checkers of scripts/check_deploy.sh (systemd-analyze is in systemd), and the single sign-on
# tests' identity providers: Node.js and npm for node-oidc-provider (tests/idp), xmlsec1 for
# pysaml2's IdP. (Production needs no Debian package for SSO: the xmlsec and lxml wheels carry
# their libraries.)
DEV=(postgresql chromium poppler-utils gettext systemd make nodejs npm xmlsec1)

say() { printf 'install-debian: %s\n' "$*"; }
die() { printf 'install-debian: error: %s\n' "$*" >&2; exit 1; }

mode=production
list=false
for arg in "$@"; do
    case $arg in
        --container) mode=container ;;
        --dev) mode=dev ;;
        --list) list=true ;;
        -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown argument: $arg (see --help)" ;;
    esac
done

case $mode in
    container) packages=("${RUNTIME[@]}") ;;
    production) packages=("${RUNTIME[@]}" "${PROXY[@]}") ;;
    dev) packages=("${RUNTIME[@]}" "${PROXY[@]}" "${DEV[@]}") ;;
esac

if $list; then
    printf '%s\n' "${packages[@]}"
    exit 0
fi

command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 ||
    die "needs a Debian system (dpkg, apt-get)"

installed() {  # a Debian package is installed (not just known to dpkg)
    local status
    status=$(dpkg -s "$1" 2>/dev/null) || return 1
    [[ $status == *"Status: install ok installed"* ]]
}

as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

missing=()
for pkg in "${packages[@]}"; do
    # nginx-light, nginx and nginx-full all provide the nginx binary the site needs.
    if [[ $pkg == nginx-light ]] && command -v nginx >/dev/null 2>&1; then
        continue
    fi
    # A Node.js installed otherwise (e.g. NodeSource's nodejs, which brings npm and conflicts
    # with Debian's npm) serves as well.
    if [[ $pkg == nodejs || $pkg == npm ]] && command -v "${pkg/nodejs/node}" >/dev/null 2>&1; then
        continue
    fi
    installed "$pkg" || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
    say "Debian packages present ($mode)"
    exit 0
fi

say "installing: ${missing[*]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1 ||
    ! as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "apt-get failed installing: ${missing[*]}"
fi
if [[ $mode == container ]]; then
    as_root apt-get clean
    as_root rm -rf /var/lib/apt/lists/*
fi
