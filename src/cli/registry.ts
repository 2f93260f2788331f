import type { CliCommand } from './command.js';

/**
 * Every sub-command, loaded lazily so that `ram-delegation crds` does not pay for the operator's
 * imports. Add one line per command.
 */
export const commandLoaders: Record<string, () => Promise<CliCommand>> = {
  crds: async () => (await import('./crds-command.js')).crdsCommand,
  operator: async () => (await import('./operator-command.js')).operatorCommand,
  plan: async () => (await import('./plan-command.js')).planCommand,
};

/** One-line summaries for `--help`, kept here so that help does not import every command. */
export const commandSummaries: Record<string, string> = {
  crds: 'generate the CustomResourceDefinition YAML from the API schema',
  operator: 'run the operator: reconcile CrossAccountDelegations in both Alibaba Cloud accounts',
  plan: 'print what applying manifests would change in both accounts, read-only',
};
