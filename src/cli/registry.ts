import type { CliCommand } from './command.js';

/**
 * Every sub-command, loaded lazily so that `ram-delegation emulator` does not pay for the operator's
 * imports. Add one line per command.
 */
export const commandLoaders: Record<string, () => Promise<CliCommand>> = {
  crds: async () => (await import('./crds-command.js')).crdsCommand,
  emulator: async () => (await import('./emulator-command.js')).emulatorCommand,
  'kube-apiserver': async () => (await import('./kube-apiserver-command.js')).kubeApiServerCommand,
  operator: async () => (await import('./operator-command.js')).operatorCommand,
  sandbox: async () => (await import('./sandbox-command.js')).sandboxCommand,
  demo: async () => (await import('./demo-command.js')).demoCommand,
};

/** One-line summaries for `--help`, kept here so that help does not import every command. */
export const commandSummaries: Record<string, string> = {
  crds: 'generate the CustomResourceDefinition YAML from the API schema',
  emulator: 'run the Alibaba Cloud emulator (RAM, STS, EventBridge PutEvents) on one HTTP port',
  operator: 'run the operator: reconcile CrossAccountDelegations in both Alibaba Cloud accounts',
  sandbox: 'run the whole thing locally: API server, emulator, CRD, credential Secrets and the operator',
  demo: 'play the seed scenario end to end on a fresh sandbox and report each step',
  'kube-apiserver': 'run the in-process Kubernetes API server (HTTPS) and write a kubeconfig for kubectl',
};
