#!/usr/bin/env sh
# `npm run test:k3s`: the operator's end-to-end scenario on a real k3s in Docker (testcontainers): the
# image built from the Dockerfile and loaded into k3s, deploy/ installed with it, the operator inside
# the cluster as its own ServiceAccount (two replicas, the leader killed once), the Alibaba Cloud
# emulator on this host.
# Without a container engine it says so and exits 0: that is "did not run", never "passed".
set -eu
cd "$(dirname "$0")/.."

# The engine as testcontainers finds it (DOCKER_HOST, ~/.testcontainers.properties, the Docker
# socket, rootless Docker), so this check and the test agree.
if ! node -e "import('testcontainers').then((t) => t.getContainerRuntimeClient()).then(() => process.exit(0), () => process.exit(1))" >/dev/null 2>&1; then
  echo "no Docker engine: the k3s end-to-end test did not run"
  exit 0
fi
exec npx vitest run --config test/k3s/vitest.k3s.config.ts
