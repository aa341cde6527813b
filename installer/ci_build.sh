#!/usr/bin/env bash
# Builds the Linux bundle and the NSIS setup program ahead of the test suite (issue 13, N-3), so that
# tests/test_installer.py finds them through HECUN_OFFICE_BUNDLE and HECUN_OFFICE_SETUP instead of spending minutes
# in the suite. Called by .ci/run before the test command:
#
#     source installer/ci_build.sh
#
# (sourced: it exports the two variables for the suite). It installs what it needs: nsis and p7zip-full (root with
# apt-get), PyInstaller (the "installer" extra). The build itself checks the bundle (demo, check, main window
# offscreen) and lists the setup program; its summary (sizes, start-up time) is printed.
set -euo pipefail
_hecun_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_hecun_py=$(command -v python || command -v python3)

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    if ! command -v makensis >/dev/null 2>&1 || ! command -v 7z >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nsis p7zip-full >/dev/null \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nsis p7zip-full >/dev/null; }
    fi
fi
"$_hecun_py" -m pip install -q -e "$_hecun_root[installer]"

_hecun_out="$_hecun_root/build/installer"
"$_hecun_py" "$_hecun_root/installer/build_bundle.py" --dist "$_hecun_out/dist" --work "$_hecun_out/work" \
    --screenshot "$_hecun_out/main-window.png" --installer "$_hecun_out/hecun-office-setup.exe"
export HECUN_OFFICE_BUNDLE="$_hecun_out/dist/hecun-office"
export HECUN_OFFICE_SETUP="$_hecun_out/hecun-office-setup.exe"
echo "installer/ci_build.sh: HECUN_OFFICE_BUNDLE=$HECUN_OFFICE_BUNDLE HECUN_OFFICE_SETUP=$HECUN_OFFICE_SETUP"
