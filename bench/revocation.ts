/**
 * Revocation latency: for each Ready delegation (shape `withUser`), B's user obtains STS credentials for the role, publishes once,
 * then the CR is deleted; the latency is from the DELETE request to the first refused `PutEvents` with
 * those earlier credentials. Compared with one emulator round trip (a successful `PutEvents`).
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { isRefusal, publishEvent } from '@ram-delegation/sandbox';
import {
  createAccountPorts,
  staticCredentials,
  UNLIMITED,
  type StsCredentials,
} from '../src/alicloud/index.js';
import { API_GROUP, API_VERSION, PLURAL } from '../src/api/constants.js';
import type { Fleet } from '../test/reliability/fleet.js';

export interface RevocationResult {
  delegations: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  emulatorRoundTripMs: number;
  p50OverRoundTrip: number;
  p99OverRoundTrip: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function measureRevocation(
  fleet: Fleet,
  names: readonly string[],
  deadlineMs: number,
): Promise<RevocationResult> {
  const { sandbox } = fleet;
  const endpoint = sandbox.emulatorUrl.replace(/^https?:\/\//, '');
  const kc = new KubeConfig();
  kc.loadFromFile(sandbox.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  /** STS for the delegation's Programmatic user, with the AccessKey the operator wrote to its Secret. */
  const stsOf = async (name: string) => {
    const secret = await core.readNamespacedSecret({ name: `${name}-ak`, namespace: sandbox.namespace });
    const data = (key: string) => Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');
    return createAccountPorts({
      accountId: sandbox.authorized.accountId,
      credentials: staticCredentials({
        accessKeyId: data('accessKeyId'),
        accessKeySecret: data('accessKeySecret'),
      }),
      endpoints: { ram: endpoint, sts: endpoint, protocol: 'http' },
      limiter: UNLIMITED,
    }).sts;
  };
  const publish = (credentials: StsCredentials) =>
    publishEvent({ endpoint, protocol: 'http', busName: sandbox.eventBus.name }, credentials, {
      id: `bench-${Date.now()}-${Math.random()}`,
      source: 'bench',
      type: 'bench.revocation',
      data: {},
    });

  const roundTrips: number[] = [];
  const latencies: number[] = [];
  for (const name of names) {
    const credentials = await (
      await stsOf(name)
    ).assumeRole({
      roleArn: `acs:ram::${sandbox.owner.accountId}:role/${name}`,
      roleSessionName: 'bench',
      durationSeconds: 900,
    });
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await publish(credentials);
      roundTrips.push(performance.now() - started);
    }
    const requestedAt = performance.now();
    const deletion = fleet.api.deleteNamespacedCustomObject({
      group: API_GROUP,
      version: API_VERSION,
      namespace: sandbox.namespace,
      plural: PLURAL,
      name,
    });
    for (;;) {
      // Only a permission or token error counts as refused; a 5xx or a dropped connection is retried.
      const refused = await publish(credentials).then(
        () => false,
        (error: unknown) => isRefusal(error),
      );
      if (refused) {
        latencies.push(performance.now() - requestedAt);
        break;
      }
      if (performance.now() - requestedAt > deadlineMs)
        throw new Error(`${name}: earlier STS credentials still accepted ${deadlineMs} ms after DELETE`);
    }
    await deletion;
  }
  latencies.sort((a, b) => a - b);
  roundTrips.sort((a, b) => a - b);
  const roundTrip = percentile(roundTrips, 50);
  return {
    delegations: names.length,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies[latencies.length - 1] ?? NaN),
    emulatorRoundTripMs: round(roundTrip, 3),
    p50OverRoundTrip: round(percentile(latencies, 50) / roundTrip, 1),
    p99OverRoundTrip: round(percentile(latencies, 99) / roundTrip, 1),
  };
}
