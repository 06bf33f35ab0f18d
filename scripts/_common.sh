# Shared by scripts/start and scripts/test: a virtual environment, pinned packages, data wheels.
# shellcheck shell=bash
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-$ROOT/.venv}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

ensure_venv() {
  local reqs="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> Creating the virtual environment in .venv"
    "$PYTHON" -m venv "$VENV"
  fi
  # Reinstall only when the pinned requirements changed.
  local stamp="$VENV/.installed-$(basename "$reqs" .txt)"
  local digest
  digest="$(cat requirements/*.txt | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "==> Installing pinned packages ($reqs)"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
    "$VENV/bin/python" -m pip install --quiet -r "$reqs" 2>&1 | grep -v "is ignored" || true
    "$VENV/bin/python" -m pip check >/dev/null
    echo "$digest" > "$stamp"
  fi
  ensure_data
}

ensure_data() {
  # Data-only wheels (see requirements/data.txt), fetched with hash checking, never imported.
  local data_dir="${PHONGDICH_DATA_DIR:-$ROOT/var/data}"
  mkdir -p "$data_dir"
  if ! ls "$data_dir"/vietnam_provinces-0.4.3-*.whl >/dev/null 2>&1; then
    echo "==> Fetching the pre-2025 administrative tree (vietnam-provinces 0.4.3)"
    "$VENV/bin/python" -m pip download --quiet --no-deps --require-hashes -r requirements/data.txt -d "$data_dir" 2>&1 \
      | grep -v "is ignored" || true
    ls "$data_dir"/vietnam_provinces-0.4.3-*.whl >/dev/null
  fi
}
