#!/usr/bin/env bash
# Installs the C libraries MeshBridge links against (libcurl, libwebsockets) when they are missing.
# Sourced by scripts/bridge and scripts/test; safe to run repeatedly.
set -euo pipefail

missing=()
for package in libcurl4-openssl-dev libwebsockets-dev; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "meshbridge: installing ${missing[*]}" >&2
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
