import type { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { ADOPT_ANNOTATION, ROTATE_ACCESS_KEYS_ANNOTATION, Reason } from '../api/constants.js';
import { describeProblems, parseSpec } from '../api/parse.js';
import { crossAccountDelegationSchema, type CrossAccountDelegationObject } from '../api/resource.js';
import type { AccountAccess } from '../controller/account-access.js';
import { classifyError } from '../controller/classify-error.js';
import { delegationResource, isNotFound } from '../controller/kube-clients.js';
import { readUserSecrets, secretOwner } from '../controller/user-secrets.js';
import type { EngineOptions } from '../delegation/context.js';
import { expiryOf } from '../delegation/expiry.js';
import { InventoryRecord, inventoryFromStatus } from '../delegation/inventory.js';
import { ownershipOf } from '../delegation/ownership.js';
import { previewDelegation } from '../delegation/preview.js';
import type { DelegationManifest } from './plan-manifests.js';
import type { DelegationReport } from './plan-report.js';
import { readOnlyPorts } from './read-only-ports.js';

/** What planning one delegation needs: read-only Kubernetes calls, credentials, the engine's options. */
export interface PlanContext {
  core: CoreV1Api;
  customObjects: CustomObjectsApi;
  access: { owner: AccountAccess; authorized: AccountAccess };
  engine: EngineOptions;
  clusterName: string;
  /** For manifests that name no namespace. */
  namespace: string;
}

/**
 * Plans one delegation of the manifests: against its current state when the cluster has it (its record
 * in `status.inventory`, the user Secrets it wrote), from scratch otherwise. Kubernetes is only read
 * (GET of the delegation and of Secrets), the cloud only through read-only ports. A failure becomes a
 * refusal with the reason the operator's status would show.
 */
export async function planTarget(manifest: DelegationManifest, ctx: PlanContext): Promise<DelegationReport> {
  const namespace = manifest.namespace ?? ctx.namespace;
  const report: DelegationReport = {
    namespace,
    name: manifest.name,
    inCluster: false,
    accounts: {},
    changes: [],
    refusals: [],
  };
  const spec = parseSpec(manifest.spec);
  if (!spec.ok) {
    report.refusals.push({ reason: Reason.InvalidSpec, message: describeProblems(spec.problems) });
    return report;
  }
  report.accounts = { owner: spec.value.owner.accountId, authorized: spec.value.authorized.accountId };
  try {
    const existing = await readDelegation(ctx.customObjects, namespace, manifest.name);
    report.inCluster = existing !== undefined;
    const owner = existing ? secretOwner(existing) : { namespace, name: manifest.name, uid: '' };
    const [userSecrets, ownerPorts, authorizedPorts] = await Promise.all([
      readUserSecrets(ctx.core, owner, spec.value.users),
      ctx.access.owner.portsFor(namespace, spec.value.owner),
      ctx.access.authorized.portsFor(namespace, spec.value.authorized),
    ]);
    const identity = { cluster: ctx.clusterName, namespace, name: manifest.name };
    const rotationRequest = manifest.annotations[ROTATE_ACCESS_KEYS_ANNOTATION];
    const preview = await previewDelegation(
      {
        identity,
        ownership: ownershipOf(identity),
        spec: spec.value,
        adopt: manifest.annotations[ADOPT_ANNOTATION] === 'true',
        correctionsAreDrift: false,
        owner: readOnlyPorts(ownerPorts),
        authorized: readOnlyPorts(authorizedPorts),
        stored: userSecrets.stored,
        record: new InventoryRecord(inventoryFromStatus(existing?.status?.inventory)),
        expired: expiryOf(spec.value.expiresAt, ctx.engine.clock(), 0).expired,
        ...(rotationRequest !== undefined ? { rotationRequest } : {}),
      },
      ctx.engine,
    );
    for (const side of [preview.owner, preview.authorized]) {
      if (!side) continue;
      report.changes.push(...side.changes);
      if (side.refused) report.refusals.push({ account: side.side, ...side.refused });
    }
  } catch (error) {
    const { reason, message } = classifyError(error);
    report.refusals.push({ reason, message });
  }
  return report;
}

async function readDelegation(
  customObjects: CustomObjectsApi,
  namespace: string,
  name: string,
): Promise<CrossAccountDelegationObject | undefined> {
  try {
    const raw: unknown = await customObjects.getNamespacedCustomObject({
      ...delegationResource,
      namespace,
      name,
    });
    return crossAccountDelegationSchema.parse(raw);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
