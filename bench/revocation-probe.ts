/**
 * One revocation, timed from outside as a user of B lives it. Before: the delegation's Programmatic user
 * (shape `withUser`, its AccessKey read from the Secret the operator wrote) obtains STS credentials for
 * the role and publishes to A's bus. Then the delegation is deleted, and two clocks run from the DELETE
 * request: until the first `PutEvents` with those earlier credentials that is refused (a permission or
 * token error, `isRefusal`: a 5xx, a throttle or a dropped connection is not a refusal), and until the
 * delegation is gone from the API server (its finalizer removed: the revocation finished).
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
import { sleep, type Fleet } from '../test/reliability/fleet.js';

export interface RevocationTiming {
  /** DELETE → first refused PutEvents with the earlier STS credentials. */
  refusedMs: number;
  /** DELETE → the delegation is gone (finalizer removed). */
  goneMs: number;
  /** Successful PutEvents round trips before the DELETE. */
  roundTripsMs: number[];
}

export interface RevocationProbe {
  revoke(name: string, deadlineMs: number): Promise<RevocationTiming>;
}

export function revocationProbe(fleet: Fleet): RevocationProbe {
  const { sandbox } = fleet;
  const endpoint = sandbox.emulatorUrl.replace(/^https?:\/\//, '');
  const kc = new KubeConfig();
  kc.loadFromFile(sandbox.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const resource = { group: API_GROUP, version: API_VERSION, namespace: sandbox.namespace, plural: PLURAL };

  /** STS credentials for the role, obtained by the delegation's user with the key the operator wrote. */
  const credentialsOf = async (name: string): Promise<StsCredentials> => {
    const secret = await core.readNamespacedSecret({ name: `${name}-ak`, namespace: sandbox.namespace });
    const data = (key: string) => Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');
    const { sts } = createAccountPorts({
      accountId: sandbox.authorized.accountId,
      credentials: staticCredentials({
        accessKeyId: data('accessKeyId'),
        accessKeySecret: data('accessKeySecret'),
      }),
      endpoints: { ram: endpoint, sts: endpoint, protocol: 'http' },
      limiter: UNLIMITED,
    });
    const cad: any = await fleet.api.getNamespacedCustomObject({ ...resource, name });
    return sts.assumeRole({ roleArn: cad.status.roleArn, roleSessionName: 'bench', durationSeconds: 900 });
  };
  const publish = (credentials: StsCredentials) =>
    publishEvent({ endpoint, protocol: 'http', busName: sandbox.eventBus.name }, credentials, {
      id: `bench-${Date.now()}-${Math.random()}`,
      source: 'bench',
      type: 'bench.revocation',
      data: {},
    });
  const exists = (name: string) =>
    fleet.api.getNamespacedCustomObject({ ...resource, name }).then(
      () => true,
      (error: unknown) => {
        if ((error as { code?: number }).code === 404) return false;
        throw error;
      },
    );

  return {
    async revoke(name, deadlineMs) {
      const credentials = await credentialsOf(name);
      const roundTripsMs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await publish(credentials);
        roundTripsMs.push(performance.now() - started);
      }
      const requestedAt = performance.now();
      const overdue = (what: string) => {
        if (performance.now() - requestedAt > deadlineMs)
          throw new Error(`${name}: ${what} ${deadlineMs} ms after DELETE`);
      };
      const deletion = fleet.api.deleteNamespacedCustomObject({ ...resource, name });
      const refused = (async () => {
        for (;;) {
          const refusal = await publish(credentials).then(
            () => false,
            (error: unknown) => isRefusal(error),
          );
          if (refusal) return performance.now() - requestedAt;
          overdue('earlier STS credentials still accepted');
        }
      })();
      const gone = (async () => {
        await deletion;
        for (;;) {
          if (!(await exists(name))) return performance.now() - requestedAt;
          overdue('still present (finalizer not removed)');
          await sleep(5);
        }
      })();
      const [refusedMs, goneMs] = await Promise.all([refused, gone]);
      return { refusedMs, goneMs, roundTripsMs };
    },
  };
}
