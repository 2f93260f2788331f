import { text } from 'node:stream/consumers';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { AccountRateLimiters, type CloudEndpoints } from '../alicloud/index.js';
import { ConfigError } from '../config/flags.js';
import { processEnvironment } from '../config.js';
import { AccountAccess } from '../controller/account-access.js';
import type { CliCommand } from './command.js';
import { parsePlanArgs, planUsage, type PlanArgs } from './plan-args.js';
import { readManifests } from './plan-manifests.js';
import { planExitCode, renderJson, renderText, type DelegationReport } from './plan-report.js';
import { planTarget, type PlanContext } from './plan-target.js';

/**
 * `ram-delegation plan`: for each CrossAccountDelegation in the manifests, read its credentials and
 * both accounts, and print the changes applying it would make, per account, in the operator's words,
 * destructive ones marked, and what the operator would refuse. Nothing is written anywhere: Kubernetes
 * is only read (the delegation, its Secrets), the cloud only through ports that refuse writes.
 */
export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'print what applying manifests would change in both accounts, read-only',
  usage: planUsage,
  async run(args) {
    const env = processEnvironment();
    let options: PlanArgs;
    try {
      options = parsePlanArgs(args, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.error(`ram-delegation plan: ${error.message}\n\n${planUsage}`);
      return 1;
    }
    try {
      const manifests = await readManifests(options.filenames, () => text(process.stdin));
      if (manifests.length === 0) throw new Error('the manifests hold no CrossAccountDelegation');
      const context = planContext(options, env);
      const reports: DelegationReport[] = [];
      for (const manifest of manifests) reports.push(await planTarget(manifest, context));
      process.stdout.write(options.output === 'json' ? renderJson(reports) : renderText(reports));
      return planExitCode(reports);
    } catch (error) {
      console.error(`ram-delegation plan: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  },
};

function planContext(options: PlanArgs, env: Readonly<Record<string, string | undefined>>): PlanContext {
  const kubeConfig = new KubeConfig();
  if (options.kubeconfig) kubeConfig.loadFromFile(options.kubeconfig);
  else kubeConfig.loadFromDefault();
  const { config } = options;
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const endpoints: CloudEndpoints = {
    ...(config.alicloud.ram ? { ram: config.alicloud.ram } : {}),
    ...(config.alicloud.sts ? { sts: config.alicloud.sts } : {}),
    protocol: config.alicloud.protocol,
    regionId: config.alicloud.regionId,
  };
  // Delegations without credentials are planned with the caller's own credential chain, wherever they are.
  const access = () =>
    new AccountAccess({
      core,
      endpoints,
      limiters: new AccountRateLimiters(config.rateLimits.owner),
      defaultChainNamespaces: new Set(['*']),
      env,
    });
  const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
  return {
    core,
    customObjects: kubeConfig.makeApiClient(CustomObjectsApi),
    access: { owner: access(), authorized: access() },
    engine: {
      allowBroadPolicies: config.allowBroadPolicies,
      concurrency: 4,
      generatePassword: () => {
        throw new Error('plan issues no password');
      },
      clock: () => new Date(),
    },
    clusterName: config.clusterName,
    namespace: options.namespace ?? contextNamespace ?? 'default',
  };
}
