import { randomUUID } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  ADOPT_ANNOTATION,
  API_GROUP_VERSION,
  ConditionType,
  DELEGATION_FINALIZER,
  KIND,
  SECRET_IN_USE_FINALIZER,
} from '../api/constants.js';
import { describeProblems, parseSpec } from '../api/parse.js';
import { crossAccountDelegationSchema, type CrossAccountDelegationObject } from '../api/resource.js';
import type { CrossAccountDelegationSpec } from '../api/spec.js';
import type { EngineOptions } from '../delegation/context.js';
import { reconcileDelegation } from '../delegation/engine.js';
import { ownershipOf } from '../delegation/ownership.js';
import { verifyAccess, type Verification } from '../delegation/verify.js';
import { AuthorizedApplyError } from '../delegation/authorized/index.js';
import type { Logger } from '../observability/logger.js';
import { reconcileLogger } from '../observability/logger.js';
import type { OperatorMetrics } from '../observability/metrics.js';
import { AccountAccess } from './account-access.js';
import { changeEvents } from './change-events.js';
import { classifyError } from './classify-error.js';
import { desiredStatus, type PassResult } from './delegation-status.js';
import type { EventRecorder, EventSubject } from './events.js';
import { addFinalizer, delegationPatcher, secretPatcher } from './finalizers.js';
import { delegationResource, isNotFound, splitKey, type KubeClients } from './kube-clients.js';
import { finalizeDelegation, releaseUnusedSecret, SECRET_CHECK_PREFIX } from './revocation.js';
import type { StatusWriter } from './status-writer.js';
import { readUserSecrets, writeUserSecrets, type SecretOwner } from './user-secrets.js';
import type { WorkOutcome } from './work-queue.js';

/** How soon to look again when access could not be verified yet (RAM changes take seconds to apply). */
const VERIFY_RETRY_MS = 5_000;

export interface ReconcilerDeps {
  kube: KubeClients;
  /** Credentials → ports, one per side (each side has its own rate limits and metrics label). */
  access: { owner: AccountAccess; authorized: AccountAccess };
  engine: EngineOptions;
  clusterName: string;
  events: EventRecorder;
  statusWriter: StatusWriter;
  metrics?: OperatorMetrics;
  logger: Logger;
  clock: () => Date;
  /** The next resync delay (period with jitter). */
  resyncDelayMs: () => number;
  /** Whether another delegation (not `exceptKey`) still references the Secret: its finalizer must stay. */
  secretStillReferenced: (namespace: string, secretName: string, exceptKey: string) => boolean;
}

/**
 * One level-based pass over one CrossAccountDelegation, by key (DESIGN §3): read it, revoke if it is
 * being deleted, otherwise make sure of the finalizer, validate, resolve both accounts' credentials, run
 * the engine, store issued credentials, verify access, and write the status once.
 */
export class DelegationReconciler {
  constructor(private readonly deps: ReconcilerDeps) {}

  async reconcile(key: string): Promise<WorkOutcome> {
    if (key.startsWith(SECRET_CHECK_PREFIX)) return releaseUnusedSecret(this.deps, key);
    const started = this.deps.clock();
    const log = reconcileLogger(this.deps.logger, { key, reconcileId: randomUUID() });
    const { namespace, name } = splitKey(key);
    if (!namespace) return undefined;
    let raw: KubernetesObject;
    try {
      raw = (await this.deps.kube.customObjects.getNamespacedCustomObject({
        ...delegationResource,
        namespace,
        name,
      })) as KubernetesObject;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const parsed = crossAccountDelegationSchema.safeParse(raw);
    if (!parsed.success) {
      log.error(
        { problems: parsed.error.issues.map((i) => i.message) },
        'object is not a CrossAccountDelegation',
      );
      return undefined;
    }
    const object = parsed.data;
    const seconds = () => (this.deps.clock().getTime() - started.getTime()) / 1000;
    try {
      const outcome = object.metadata.deletionTimestamp
        ? await finalizeDelegation(this.deps, object, raw, key, log)
        : await this.sync(object, raw, log);
      this.deps.metrics?.observeReconcile(outcome.result, seconds());
      return outcome.next;
    } catch (error) {
      this.deps.metrics?.observeReconcile('error', seconds());
      throw error;
    }
  }

  private async sync(
    object: CrossAccountDelegationObject,
    raw: KubernetesObject,
    log: Logger,
  ): Promise<{ result: 'success' | 'requeue' | 'stalled'; next: WorkOutcome }> {
    const { deps } = this;
    const generation = object.metadata.generation ?? 1;
    const subject = eventSubject(object);
    await addFinalizer(delegationPatcher(deps.kube.customObjects), raw, DELEGATION_FINALIZER);

    const spec = parseSpec(object.spec);
    if (!spec.ok) {
      const message = describeProblems(spec.problems);
      log.warn({ problems: spec.problems }, 'invalid spec');
      await this.finish(object, { kind: 'Invalid', message });
      return { result: 'stalled', next: { requeueAfterMs: deps.resyncDelayMs() } };
    }

    let result: PassResult;
    try {
      result = await this.runEngine(object, spec.value, log);
    } catch (error) {
      const classified = classifyError(error);
      log.warn(
        { err: error, reason: classified.reason, retryable: classified.retryable },
        'reconcile failed',
      );
      await deps.events.record(subject, {
        type: 'Warning',
        reason: 'ReconcileError',
        action: 'Reconcile',
        note: `${classified.reason}: ${classified.message}`,
      });
      await this.finish(object, { kind: 'Failed', error: classified });
      // Retryable: the work queue backs off (honouring the service's retry-after via classifyError).
      if (classified.retryable) throw error;
      return { result: 'stalled', next: { requeueAfterMs: deps.resyncDelayMs() } };
    }
    await this.finish(object, result);
    const blocked =
      result.kind === 'Done'
        ? (result.outcome.owner.blocked ?? result.outcome.authorized?.blocked)
        : undefined;
    if (blocked) {
      await deps.events.record(subject, {
        type: 'Warning',
        reason: 'ReconcileError',
        action: 'Reconcile',
        note: `${blocked.reason}: ${blocked.message}`,
      });
      return { result: 'stalled', next: { requeueAfterMs: deps.resyncDelayMs() } };
    }
    if (result.kind === 'Done' && result.verification && !result.verification.verified) {
      return { result: 'requeue', next: { requeueAfterMs: VERIFY_RETRY_MS } };
    }
    log.debug({ generation }, 'reconciled');
    return { result: 'success', next: { requeueAfterMs: deps.resyncDelayMs() } };
  }

  /** The cloud part of a pass: credentials, engine, Secrets, verification. Throws on failure. */
  private async runEngine(
    object: CrossAccountDelegationObject,
    spec: CrossAccountDelegationSpec,
    log: Logger,
  ): Promise<PassResult> {
    const { deps } = this;
    const namespace = object.metadata.namespace ?? '';
    const owner: SecretOwner = { namespace, name: object.metadata.name, uid: object.metadata.uid ?? '' };
    const [ownerPorts, authorizedPorts] = await Promise.all([
      deps.access.owner.portsFor(namespace, spec.owner),
      deps.access.authorized.portsFor(namespace, spec.authorized),
    ]);
    await this.protectCredentialSecrets(namespace, spec);
    const secrets = await readUserSecrets(deps.kube.core, owner, spec.users);
    const wasReady =
      object.status?.conditions?.some((c) => c.type === ConditionType.Ready && c.status === 'True') ?? false;
    const identity = { cluster: deps.clusterName, namespace, name: object.metadata.name };
    const input = {
      identity,
      ownership: ownershipOf(identity),
      spec,
      adopt: object.metadata.annotations?.[ADOPT_ANNOTATION] === 'true',
      correctionsAreDrift: wasReady && object.status?.observedGeneration === object.metadata.generation,
      owner: ownerPorts,
      authorized: authorizedPorts,
      stored: secrets.stored,
    };
    let outcome;
    try {
      outcome = await reconcileDelegation(input, deps.engine);
    } catch (error) {
      // Keys issued before a failure are stored all the same, so the next pass need not reissue them.
      if (error instanceof AuthorizedApplyError)
        await writeUserSecrets(deps.kube.core, owner, spec.users, error.issued);
      throw error;
    }
    const issued = outcome.authorized?.issued ?? [];
    await writeUserSecrets(deps.kube.core, owner, spec.users, issued);
    for (const credential of issued) {
      if (credential.kind === 'AccessKey') secrets.accessKeys.set(credential.userName, credential);
    }
    const changes = [...outcome.owner.changes, ...(outcome.authorized?.changes ?? [])];
    const drift = changes.filter((c) => c.drift);
    if (drift.length > 0) deps.metrics?.driftCorrections.inc({ side: drift[0]!.side }, drift.length);
    for (const event of changeEvents(changes)) await deps.events.record(eventSubject(object), event);
    if (changes.length > 0) log.info({ changes: changes.map((c) => c.description) }, 'applied changes');

    let verification: Verification | undefined;
    const synced = outcome.owner.synced && outcome.authorized?.synced === true;
    const verifier = spec.users.find((u) => u.access === 'Programmatic' && secrets.accessKeys.has(u.name));
    if (synced && !spec.suspend && verifier) {
      const ports = deps.access.authorized.portsForKey(
        spec.authorized.accountId,
        secrets.accessKeys.get(verifier.name)!,
      );
      verification = await verifyAccess(ports.sts, outcome.roleArn, `user ${verifier.name}`);
    }
    return { kind: 'Done', outcome, verification, suspended: spec.suspend };
  }

  /** Puts the in-use finalizer on the credential Secrets this delegation reads. */
  private async protectCredentialSecrets(namespace: string, spec: CrossAccountDelegationSpec): Promise<void> {
    const names = [AccountAccess.secretName(spec.owner), AccountAccess.secretName(spec.authorized)].filter(
      (n): n is string => n !== undefined,
    );
    const patch = secretPatcher(this.deps.kube.core);
    await Promise.all(
      [...new Set(names)].map(async (name) => {
        const secret = await this.deps.kube.core.readNamespacedSecret({ namespace, name });
        await addFinalizer(patch, secret, SECRET_IN_USE_FINALIZER);
      }),
    );
  }

  /** The one status write of the pass (skipped when nothing changed). */
  private async finish(object: CrossAccountDelegationObject, result: PassResult): Promise<void> {
    const generation = object.metadata.generation ?? 1;
    const status = desiredStatus(object.status, generation, result, this.deps.clock());
    await this.deps.statusWriter.write({ metadata: object.metadata, status: object.status }, status);
  }
}

export function eventSubject(object: CrossAccountDelegationObject): EventSubject {
  return {
    apiVersion: API_GROUP_VERSION,
    kind: KIND,
    name: object.metadata.name,
    namespace: object.metadata.namespace ?? '',
    ...(object.metadata.uid ? { uid: object.metadata.uid } : {}),
    ...(object.metadata.resourceVersion ? { resourceVersion: object.metadata.resourceVersion } : {}),
  };
}
