# syntax=docker/dockerfile:1
# ram-delegation-operator. Build: docker build -t ram-delegation-operator:0.1.0 .
# Runs as a non-root user and needs no writable path, so it works with readOnlyRootFilesystem: true.
# The image holds the operator alone: the stand-ins under packages/ are never copied, so npm installs
# none of their dependencies and dist/ has only src/ compiled.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:22-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY crds ./crds
# The image's unprivileged `node` user (uid 1000); Kubernetes checks runAsNonRoot against the number.
USER 1000:1000
EXPOSE 8080
# A young generation of 2 MiB semi-spaces instead of 16: a pass's garbage is short-lived, and the
# default holds tens of MiB of it. An old generation capped at 384 MiB, three quarters of the
# Deployment's 512Mi limit: V8 sizes its heap by that cap (with the default, derived from the machine's
# memory, it lets the heap grow to four times what is live), and collects hard before the kernel would
# kill the pod.
# Raise both together. The memory benchmark runs these flags (docs/benchmarks.md#memory).
ENTRYPOINT ["node", "--max-semi-space-size=2", "--max-old-space-size=384", "dist/cli.js"]
CMD ["operator"]
