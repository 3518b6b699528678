#!/usr/bin/env bash
# Set up a checkout of Samtal on Debian 12; safe to run again and again.
#
#   scripts/bootstrap.sh            .venv (Python 3.11) + requirements/dev.txt, compilemessages
#   scripts/bootstrap.sh --system   first installs missing Debian packages (root or sudo):
#                                   deploy/install-debian.sh --dev, the production list + tests
#   scripts/bootstrap.sh --idp      also `npm ci` in tests/idp: the SSO tests' OpenID Provider
#                                   (make test passes --system --idp)
#
# pip runs only when requirements/dev.txt differs from the one last installed (a stamp in
# .venv); its output goes to .venv/pip-install.log and is shown only if pip fails.
set -euo pipefail

VENV=.venv
# The tests' lock: production's (requirements/prod.txt, the same versions) plus test tools,
# all with hashes (pip-compile; see README).
REQUIREMENTS=requirements/dev.txt
STAMP=$VENV/.requirements-dev.sha256

say() { printf 'bootstrap: %s\n' "$*"; }
die() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }

system=false
idp=false
for arg in "$@"; do
    case $arg in
        --system) system=true ;;
        --idp) idp=true ;;
        -h|--help) sed -n '2,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown argument: $arg (usage: scripts/bootstrap.sh [--system] [--idp])" ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."

find_python() {  # prints a Python 3.11 interpreter that can create venvs with pip
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null
        then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

python_can_venv() { "$1" -c 'import ensurepip, venv' >/dev/null 2>&1; }

# --- Debian packages -------------------------------------------------------------------
# One list for production, the container image and the tests: deploy/install-debian.sh.
if $system; then
    bash deploy/install-debian.sh --dev || die "deploy/install-debian.sh --dev failed"
fi

# --- virtualenv ------------------------------------------------------------------------
if [[ -x $VENV/bin/python ]] &&
    ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null
then
    say "$VENV is broken or not Python 3.11: recreating it"
    rm -rf "$VENV"
fi
if [[ ! -x $VENV/bin/python ]]; then
    py=$(find_python) || die "Python 3.11 not found (python3.11 or python3): scripts/bootstrap.sh --system"
    python_can_venv "$py" || die "$py cannot create virtualenvs (no ensurepip): scripts/bootstrap.sh --system"
    say "creating $VENV with $py ($("$py" -c 'import platform; print(platform.python_version())'))"
    rm -rf "$VENV"
    "$py" -m venv "$VENV"
fi

# --- Python packages -------------------------------------------------------------------
wanted=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
if [[ -f $STAMP && $(<"$STAMP") == "$wanted" ]]; then
    say "$REQUIREMENTS unchanged since last install: skipping pip"
else
    say "pip install --require-hashes -r $REQUIREMENTS (log: $VENV/pip-install.log)"
    # pip's output (including harmless warnings such as "Location ... is ignored") goes to
    # the log; only its exit status counts.
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --require-hashes \
        -r "$REQUIREMENTS" \
        >"$VENV/pip-install.log" 2>&1; then
        tail -n 40 "$VENV/pip-install.log" >&2
        die "pip install -r $REQUIREMENTS failed (full log: $VENV/pip-install.log)"
    fi
    printf '%s\n' "$wanted" >"$STAMP"
fi

# --- test identity providers (npm) ------------------------------------------------------
# node-oidc-provider for the single sign-on tests, pinned in tests/idp/package-lock.json;
# `npm ci` runs only when the lock file differs from the one last installed.
if $idp; then
    command -v npm >/dev/null 2>&1 ||
        die "npm missing for tests/idp: scripts/bootstrap.sh --system (deploy/install-debian.sh --dev)"
    idp_wanted=$(sha256sum tests/idp/package-lock.json | cut -d' ' -f1)
    idp_stamp=tests/idp/node_modules/.samtal-lock.sha256
    if [[ -f $idp_stamp && $(<"$idp_stamp") == "$idp_wanted" ]]; then
        say "tests/idp/package-lock.json unchanged since last install: skipping npm ci"
    else
        say "npm ci in tests/idp (log: tests/idp/npm-ci.log)"
        if ! (cd tests/idp && npm ci --no-audit --no-fund) >tests/idp/npm-ci.log 2>&1; then
            tail -n 40 tests/idp/npm-ci.log >&2
            die "npm ci in tests/idp failed (full log: tests/idp/npm-ci.log)"
        fi
        printf '%s\n' "$idp_wanted" >"$idp_stamp"
    fi
fi

# --- runtime directories ---------------------------------------------------------------
mkdir -p var  # the default SQLite database and media live here (gitignored)

# --- translations ----------------------------------------------------------------------
po=$(find . \( -path ./.venv -o -path ./node_modules -o -path ./.git \) -prune -o \
    -path '*/locale/*' -name '*.po' -print -quit)
if [[ -n $po ]]; then
    command -v msgfmt >/dev/null 2>&1 ||
        die "msgfmt (gettext) missing for compilemessages: scripts/bootstrap.sh --system"
    say "manage.py compilemessages"
    log=$(mktemp)
    if ! DEBUG=true "$VENV/bin/python" manage.py compilemessages \
        --ignore=.venv --ignore=node_modules >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        die "compilemessages failed"
    fi
    rm -f "$log"
else
    say "no locale/*.po files: skipping compilemessages"
fi
