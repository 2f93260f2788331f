import type { EventsV1Event, KubernetesObject, V1Secret } from '@kubernetes/client-node';
import { API_GROUP_VERSION, KIND } from '../../../src/api/constants.js';
import { AccountRateLimiters } from '../../../src/alicloud/index.js';
import { AccountAccess } from '../../../src/controller/account-access.js';
import { CredentialSecrets } from '../../../src/controller/credential-secrets.js';
import { secretStillReferenced } from '../../../src/controller/delegation-informers.js';
import { EventRecorder } from '../../../src/controller/events.js';
import { delegationResource, isNotFound, objectKey } from '../../../src/controller/kube-clients.js';
import { DelegationReconciler } from '../../../src/controller/reconciler.js';
import {
  DEFAULT_EXPIRY_WARNING_MS,
  DEFAULT_UNUSED_KEY_WARNING_MS,
  LastUsedReads,
  type LifecycleSettings,
} from '../../../src/controller/lifecycle-settings.js';
import { createStatusWriter } from '../../../src/controller/status-writer.js';
import type { WorkOutcome } from '../../../src/controller/work-queue.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createMetrics, type OperatorMetrics } from '../../../src/observability/metrics.js';
import { CallCounter, startTestCloud, type TestAccount, type TestCloud } from '../../support/cloud.js';
import { testEngineOptions } from '../../support/delegation.js';
import {
  aDelegationSpec,
  putEventsDocument,
  withConsoleUser,
  withPolicies,
  withProgrammaticUser,
  withRole,
  withUsers,
} from '../../support/gen.js';
import { startKube, type KubeFixture } from './kube-fixture.js';

export const NAMESPACE = 'default';
/** What the reconciler asks for after a settled pass: the resync period, fixed here. */
export const RESYNC_MS = 600_000;

/**
 * The reconciler in-process, against the project's Kubernetes API server (with the CRD from `crds/`)
 * and the Alibaba Cloud emulator, through the same clients and ports the operator uses. Tests call
 * {@link ReconcilerRig.reconcile} per key, as the work queue would.
 */
export interface ReconcilerRig {
  kube: KubeFixture;
  cloud: TestCloud;
  reconciler: DelegationReconciler;
  /** Every cloud call the reconciler made, both accounts (reset it per case). */
  calls: CallCounter;
  metrics: OperatorMetrics;
  reconcile(name: string): Promise<WorkOutcome>;
  apply(name: string, spec: Record<string, any>, annotations?: Record<string, string>): Promise<void>;
  get(name: string): Promise<(KubernetesObject & { status?: any; spec?: any }) | undefined>;
  remove(name: string): Promise<void>;
  secret(name: string): Promise<V1Secret | undefined>;
  createSecret(name: string, account: TestAccount): Promise<void>;
  /** The Events recorded about a delegation, oldest first. */
  events(name: string): Promise<EventsV1Event[]>;
  stop(): Promise<void>;
}

export interface ReconcilerRigOptions {
  /** One clock for the reconciler, the engine, the gauges and the emulator (default: the real one). */
  clock?: () => Date;
  lifecycle?: Partial<LifecycleSettings>;
}

export async function startReconcilerRig(options: ReconcilerRigOptions = {}): Promise<ReconcilerRig> {
  const clock = options.clock ?? (() => new Date());
  const [kube, cloud] = await Promise.all([startKube(), startTestCloud({ clock })]);
  const calls = new CallCounter();
  const metrics = createMetrics({ processMetrics: false, clock });
  const logger = createLogger({ level: 'silent' });
  const access = () =>
    new AccountAccess({
      core: kube.core,
      endpoints: cloud.endpoints,
      limiters: new AccountRateLimiters({ qps: 1000, burst: 1000 }),
      observer: calls,
      defaultChainNamespaces: new Set(),
      env: {},
    });
  const listDelegations = async () =>
    (
      (await kube.customObjects.listNamespacedCustomObject({
        ...delegationResource,
        namespace: NAMESPACE,
      })) as {
        items: KubernetesObject[];
      }
    ).items;
  let known: KubernetesObject[] = [];
  const reconciler = new DelegationReconciler({
    kube,
    access: { owner: access(), authorized: access() },
    engine: testEngineOptions({ clock }),
    clusterName: 'test',
    events: new EventRecorder({ api: kube.events, reportingInstance: 'reconciler-test', logger, clock }),
    statusWriter: createStatusWriter(kube.customObjects),
    metrics,
    logger,
    clock,
    lifecycle: {
      settings: {
        expiryWarningMs: DEFAULT_EXPIRY_WARNING_MS,
        unusedKeyWarningMs: DEFAULT_UNUSED_KEY_WARNING_MS,
        lastUsedIntervalMs: RESYNC_MS * 0.8,
        ...options.lifecycle,
      },
      lastUsed: new LastUsedReads(),
    },
    resyncDelayMs: () => RESYNC_MS,
    credentialSecrets: new CredentialSecrets({
      core: kube.core,
      // The operator asks its informer's index, then lists; here a list taken before each pass stands in.
      stillReferenced: (namespace, secretName, exceptKey) =>
        secretStillReferenced(known, namespace, secretName, exceptKey),
    }),
  });
  const createSecret = async (name: string, account: TestAccount) => {
    const encode = (value: string) => Buffer.from(value).toString('base64');
    await kube.core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: {
        metadata: { name },
        data: { accessKeyId: encode(account.accessKeyId), accessKeySecret: encode(account.accessKeySecret) },
      },
    });
  };
  const get = async (name: string) => {
    try {
      return (await kube.customObjects.getNamespacedCustomObject({
        ...delegationResource,
        namespace: NAMESPACE,
        name,
      })) as KubernetesObject & { status?: any; spec?: any };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  await createSecret('enterprise-a', cloud.owner);
  await createSecret('enterprise-b', cloud.authorized);
  return {
    kube,
    cloud,
    reconciler,
    calls,
    metrics,
    async reconcile(name) {
      known = await listDelegations();
      return reconciler.reconcile(objectKey(NAMESPACE, name));
    },
    async apply(name, spec, annotations) {
      await kube.customObjects.createNamespacedCustomObject({
        ...delegationResource,
        namespace: NAMESPACE,
        body: {
          apiVersion: API_GROUP_VERSION,
          kind: KIND,
          metadata: { name, namespace: NAMESPACE, ...(annotations ? { annotations } : {}) },
          spec,
        },
      });
    },
    get,
    async remove(name) {
      await kube.customObjects.deleteNamespacedCustomObject({
        ...delegationResource,
        namespace: NAMESPACE,
        name,
      });
    },
    async secret(name) {
      try {
        return await kube.core.readNamespacedSecret({ namespace: NAMESPACE, name });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    createSecret,
    async events(name) {
      const list = await kube.events.listNamespacedEvent({ namespace: NAMESPACE });
      return list.items.filter((event) => event.regarding?.name === name);
    },
    async stop() {
      await Promise.all([kube.stop(), cloud.stop()]);
    },
  };
}

/**
 * The seed scenario's spec with every cloud name prefixed, so cases share one emulator without
 * touching each other's entities: role `<p>`, custom policy `<p>-publish`, users `<p>-publisher`
 * (Programmatic, Secret `<p>-ak`) and `<p>-alice` (Console, Secret `<p>-login`).
 */
export function delegationSpec(prefix: string, mutate: (spec: Record<string, any>) => void = () => {}) {
  const spec: Record<string, any> = aDelegationSpec(
    withRole(prefix),
    withPolicies({ custom: { name: `${prefix}-publish`, document: putEventsDocument() } }),
    withUsers(),
    withProgrammaticUser(`${prefix}-publisher`, `${prefix}-ak`),
    withConsoleUser(`${prefix}-alice`, { credentialsSecretName: `${prefix}-login` }),
  );
  mutate(spec);
  return spec;
}

/** condition type → `status/reason`, as a compact thing to compare. */
export function conditionSummary(object: { status?: any } | undefined): Record<string, string> {
  const conditions = (object?.status?.conditions ?? []) as { type: string; status: string; reason: string }[];
  return Object.fromEntries(conditions.map((c) => [c.type, `${c.status}/${c.reason}`]));
}
