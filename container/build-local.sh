#!/usr/bin/env bash
# Build the image as localhost/agentmock:dev on a machine that reaches no image registry (the
# project's own CI machines): Debian's mirror stands in for the base image, a wheelhouse built
# on the host stands in for the package index, and the Dockerfile is the one users build.
#
#   container/build-local.sh            # prints the image name on its last line
#
# Needs podman, runc and debootstrap (Debian packages), and the checkout's Python with `build`.
# AGENTMOCK_BUILD_DIR keeps the base's root file system between runs (default: a temporary one).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${AGENTMOCK_BUILD_DIR:-$(mktemp -d)}
python=${PYTHON:-python3}
image=localhost/agentmock:dev
base=docker.io/library/debian:bookworm-slim

mkdir -p "$work"
# podman on these machines: runc, cgroupfs, and no default ulimits (the sandbox refuses them).
export CONTAINERS_CONF="$work/containers.conf"
printf '[containers]\ndefault_ulimits = []\n' > "$CONTAINERS_CONF"
podman() { command podman --runtime runc --cgroup-manager=cgroupfs "$@"; }

# 1. The base: debootstrap's minbase bookworm, imported under the official image's name.
if ! podman image exists "$base"; then
    if [ ! -x "$work/rootfs/bin/sh" ]; then
        debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >&2
    fi
    tar -C "$work/rootfs" -c . | podman import - "$base" >&2
fi

# 2. The context: the Dockerfile, the wheel and a wheelhouse of its dependencies.
context="$work/context"
rm -rf "$context" && mkdir -p "$context/dist"
cp "$root/Dockerfile" "$context/"
"$python" -m build --wheel --outdir "$context/dist" "$root" >&2
"$python" -m pip wheel --quiet --wheel-dir "$context/dist" "$context"/dist/agentmock-*.whl >&2

# 3. The image, with pip kept off the network (it cannot verify the index's certificate here).
podman build --pull=never --format docker \
    --build-arg PIP_OPTIONS="--no-index --find-links /tmp/dist" \
    -t "$image" "$context" >&2
echo "$image"
