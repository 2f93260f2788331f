#!/usr/bin/env sh
# `npm run test:k3s`: the operator's end-to-end scenario against a real k3s (in Docker, through
# @testcontainers/k3s) with the Alibaba Cloud emulator and the operator on this host.
# Without a Docker engine it says so and exits 0: that is "did not run", never "passed".
set -eu
cd "$(dirname "$0")/.."

engine=no
if command -v docker >/dev/null 2>&1; then
  if docker info >/dev/null 2>&1; then engine=yes; fi
elif [ -n "${DOCKER_HOST:-}" ] || [ -S /var/run/docker.sock ]; then
  # No docker CLI, but testcontainers talks to the socket directly.
  engine=yes
fi
if [ "$engine" != yes ]; then
  echo "no Docker engine: the k3s end-to-end test did not run"
  exit 0
fi

if ! node -e "import('@testcontainers/k3s').then(() => process.exit(0), () => process.exit(1))" >/dev/null 2>&1; then
  echo "@testcontainers/k3s is not installed; run: npm install --no-save @testcontainers/k3s@11" >&2
  exit 1
fi
exec npx vitest run --config test/k3s/vitest.k3s.config.ts
