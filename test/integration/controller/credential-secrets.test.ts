/**
 * The credential Secrets' in-use finalizer and the small controller that releases it, against the API
 * server with a real delegation informer feeding the release queue, as the operator wires them; and a
 * release lost to a crash, found again by the operator's informers at start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS_LABEL, SECRET_IN_USE_FINALIZER, SHARD_LABEL } from '../../../src/api/constants.js';
import {
  CredentialSecrets,
  createSecretReleaseController,
  droppedCredentials,
  type SecretReleaseController,
} from '../../../src/controller/credential-secrets.js';
import {
  createDelegationInformer,
  type DelegationInformer,
} from '../../../src/controller/delegation-informers.js';
import { delegationResource, mergePatch, splitKey } from '../../../src/controller/kube-clients.js';
import {
  createOperatorInformers,
  stillReferencedBy,
  type OperatorInformers,
} from '../../../src/controller/operator-informers.js';
import { CredentialIndex } from '../../../src/controller/secret-informers.js';
import { createLogger } from '../../../src/observability/logger.js';
import { delegationManifest, eventually, startKube, type KubeFixture } from './kube-fixture.js';

const logger = createLogger({ level: 'silent' });
let kube: KubeFixture;
beforeAll(async () => {
  kube = await startKube();
});
afterAll(async () => {
  await kube?.stop();
});

const finalizersIn = async (namespace: string, name: string) =>
  (await kube.core.readNamespacedSecret({ namespace, name })).metadata?.finalizers ?? [];

/** Creates delegations in `namespace` whose owner side reads `secretName` (of `shard`, if given). */
async function createDelegationsUsing(
  namespace: string,
  secretName: string,
  names: string[],
  shard?: string,
): Promise<void> {
  for (const name of names) {
    const body = delegationManifest(name, namespace);
    body.spec.owner.credentials.secretRef.name = secretName;
    if (shard) body.metadata!.labels = { [SHARD_LABEL]: shard };
    await kube.customObjects.createNamespacedCustomObject({ ...delegationResource, namespace, body });
  }
}

describe('credential Secrets in use', () => {
  const NAMESPACE = 'release';
  let delegations: DelegationInformer;
  let secrets: CredentialSecrets;
  let release: SecretReleaseController;

  beforeAll(async () => {
    await kube.core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
    // Wired as the operator wires them: this shard's index first, then every shard's delegations.
    const index = new CredentialIndex();
    secrets = new CredentialSecrets({
      core: kube.core,
      stillReferenced: stillReferencedBy(kube.customObjects, () => index),
    });
    release = createSecretReleaseController(secrets, logger);
    delegations = createDelegationInformer({
      kubeConfig: kube.kubeConfig,
      customObjects: kube.customObjects,
      sink: { add: () => {} },
      namespace: NAMESPACE,
      onRecord: (key, record, previous) => {
        index.update(key, record, previous);
        release.secretsDropped(splitKey(key).namespace, droppedCredentials(record, previous));
      },
    });
    release.queue.start();
    delegations.start();
    await eventually(() => expect(delegations.hasSynced()).toBe(true));
  });
  afterAll(async () => {
    await delegations?.stop();
    await release?.queue.shutdown();
  });

  const finalizersOf = (name: string) => finalizersIn(NAMESPACE, name);
  const labelOf = async (name: string) =>
    (await kube.core.readNamespacedSecret({ namespace: NAMESPACE, name })).metadata?.labels?.[
      CREDENTIALS_LABEL
    ];

  /** A credentials Secret, protected as a pass would protect it. */
  async function protectedSecret(name: string): Promise<void> {
    await kube.core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: { metadata: { name }, stringData: { accessKeyId: 'id', accessKeySecret: 'secret' } },
    });
    await secrets.protect(NAMESPACE, [name, name, undefined]);
    expect(await finalizersOf(name)).toEqual([SECRET_IN_USE_FINALIZER]);
    expect(await labelOf(name)).toBe('in-use');
  }

  /** Delegations whose owner side reads `secretName`, known to the informer (unless of another shard). */
  async function delegationsUsing(secretName: string, names: string[], shard?: string): Promise<void> {
    await createDelegationsUsing(NAMESPACE, secretName, names, shard);
    if (!shard) await eventually(() => expect(names.every((n) => delegations.get(NAMESPACE, n))).toBe(true));
  }

  const remove = (name: string) =>
    kube.customObjects.deleteNamespacedCustomObject({ ...delegationResource, namespace: NAMESPACE, name });

  /** Waits until the informer saw the deletions and the release queue has nothing left to do. */
  async function settled(names: string[]): Promise<void> {
    await eventually(() => {
      expect(names.some((n) => delegations.get(NAMESPACE, n))).toBe(false);
      expect(release.queue.depth + release.queue.active).toBe(0);
    });
  }

  it('keeps the finalizer while another delegation uses the Secret, and releases it after the last', async () => {
    await protectedSecret('shared-a');
    await delegationsUsing('shared-a', ['first', 'second']);
    await remove('first');
    await settled(['first']);
    expect(await finalizersOf('shared-a')).toEqual([SECRET_IN_USE_FINALIZER]);
    await remove('second');
    await eventually(async () => expect(await finalizersOf('shared-a')).toEqual([]));
  });

  it('releases a Secret shared by delegations deleted at the same moment', async () => {
    await protectedSecret('shared-b');
    const names = ['together-1', 'together-2', 'together-3'];
    await delegationsUsing('shared-b', names);
    // Each one's deletion path sees the others still referencing the Secret, so none releases it...
    for (const name of names) await secrets.release(NAMESPACE, ['shared-b'], `${NAMESPACE}/${name}`);
    expect(await finalizersOf('shared-b')).toEqual([SECRET_IN_USE_FINALIZER]);
    // ...and the check queued by the last DELETE does.
    await Promise.all(names.map(remove));
    await eventually(async () => expect(await finalizersOf('shared-b')).toEqual([]));
  });

  it('releases a Secret once the last delegation using it names another Secret in its spec', async () => {
    await protectedSecret('switched-from');
    await protectedSecret('switched-to');
    await delegationsUsing('switched-from', ['switching', 'staying']);
    const switchTo = (name: string) =>
      kube.customObjects.patchNamespacedCustomObject(
        {
          ...delegationResource,
          namespace: NAMESPACE,
          name,
          body: { spec: { owner: { credentials: { secretRef: { name: 'switched-to' } } } } },
        },
        mergePatch(),
      );
    await switchTo('switching');
    await eventually(() =>
      expect(delegations.get(NAMESPACE, 'switching')?.credentials).toContain('switched-to'),
    );
    await eventually(() => expect(release.queue.depth + release.queue.active).toBe(0));
    expect(await finalizersOf('switched-from')).toEqual([SECRET_IN_USE_FINALIZER]);
    await switchTo('staying');
    await eventually(async () => expect(await finalizersOf('switched-from')).toEqual([]));
    expect(await labelOf('switched-from')).toBeUndefined();
    expect(await finalizersOf('switched-to')).toEqual([SECRET_IN_USE_FINALIZER]);
    await Promise.all(['switching', 'staying'].map(remove));
    await settled(['switching', 'staying']);
  });

  it('lets the deletion path release what only the delegation being finalized uses', async () => {
    await protectedSecret('own');
    await delegationsUsing('own', ['owner-only']);
    await secrets.release(NAMESPACE, ['own', 'no-such-secret', undefined], `${NAMESPACE}/owner-only`);
    expect(await finalizersOf('own')).toEqual([]);
    await remove('owner-only');
    await settled(['owner-only']);
  });

  it('releases the label with the finalizer, but keeps a label its owner put there', async () => {
    await kube.core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'pre-labelled', labels: { [CREDENTIALS_LABEL]: 'team-x' } },
        stringData: { accessKeyId: 'id' },
      },
    });
    await secrets.protect(NAMESPACE, ['pre-labelled', 'never-created']);
    expect(await finalizersOf('pre-labelled')).toEqual([SECRET_IN_USE_FINALIZER]);
    expect(await labelOf('pre-labelled')).toBe('team-x');
    await secrets.release(NAMESPACE, ['pre-labelled']);
    expect(await finalizersOf('pre-labelled')).toEqual([]);
    expect(await labelOf('pre-labelled')).toBe('team-x');

    await protectedSecret('operator-labelled');
    await secrets.release(NAMESPACE, ['operator-labelled']);
    expect(await labelOf('operator-labelled')).toBeUndefined();
  });

  it('keeps the finalizer while a delegation of another shard (unseen by this informer) uses the Secret', async () => {
    await protectedSecret('cross-shard');
    await delegationsUsing('cross-shard', ['here']);
    await delegationsUsing('cross-shard', ['elsewhere'], 'blue');
    await remove('here');
    await settled(['here']);
    expect(await finalizersOf('cross-shard')).toEqual([SECRET_IN_USE_FINALIZER]);
    await secrets.release(NAMESPACE, ['cross-shard']);
    expect(await finalizersOf('cross-shard')).toEqual([SECRET_IN_USE_FINALIZER]);
    await remove('elsewhere');
    await eventually(async () => {
      await secrets.release(NAMESPACE, ['cross-shard']);
      expect(await finalizersOf('cross-shard')).toEqual([]);
    });
  });
});

describe('a release lost to a crash', () => {
  // The check the last delegation's deletion queues lives in memory: an operator killed before it ran
  // leaves the finalizer behind. A freshly started operator's informers find such Secrets.
  const NAMESPACE = 'lost-release';
  let informers: OperatorInformers | undefined;
  let release: SecretReleaseController | undefined;
  const checked: string[] = [];
  beforeAll(async () => {
    await kube.core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  });
  afterAll(async () => {
    await informers?.stop();
    await release?.queue.shutdown();
  });

  /** A credential Secret as a pass leaves it: in-use finalizer and label. */
  const heldSecret = (name: string) =>
    kube.core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: {
        metadata: { name, finalizers: [SECRET_IN_USE_FINALIZER], labels: { [CREDENTIALS_LABEL]: 'in-use' } },
        stringData: { accessKeyId: 'id', accessKeySecret: 'secret' },
      },
    });

  /** The informers and the release controller, wired and started as a starting operator (default shard) does. */
  function startOperatorInformers(): void {
    const secrets = new CredentialSecrets({
      core: kube.core,
      stillReferenced: stillReferencedBy(kube.customObjects, () => started.index),
    });
    const controller = createSecretReleaseController(secrets, logger);
    const started = createOperatorInformers({
      kube,
      queue: { add: () => {} },
      shard: undefined,
      namespace: NAMESPACE,
      relistPeriodMs: 0,
      onCredentialsDropped: (namespace, names) => {
        checked.push(...names);
        controller.secretsDropped(namespace, names);
      },
      logger,
      clock: () => new Date(),
    });
    [release, informers] = [controller, started];
    controller.queue.start();
    started.start();
  }

  it('releases the Secret nothing uses, and keeps those a delegation of any shard uses', async () => {
    await heldSecret('orphaned');
    await heldSecret('used-here');
    await heldSecret('used-by-blue');
    await createDelegationsUsing(NAMESPACE, 'used-here', ['here']);
    await createDelegationsUsing(NAMESPACE, 'used-by-blue', ['elsewhere'], 'blue');

    startOperatorInformers();
    await eventually(async () => expect(await finalizersIn(NAMESPACE, 'orphaned')).toEqual([]));
    await eventually(() => {
      expect(informers!.hasSynced()).toBe(true);
      expect(release!.queue.depth + release!.queue.active).toBe(0);
    });
    expect(await finalizersIn(NAMESPACE, 'used-here')).toEqual([SECRET_IN_USE_FINALIZER]);
    expect(await finalizersIn(NAMESPACE, 'used-by-blue')).toEqual([SECRET_IN_USE_FINALIZER]);
    // Only Secrets no delegation of this shard uses are checked: the one in use here costs no list.
    expect(checked).not.toContain('used-here');
    expect(checked).toEqual(expect.arrayContaining(['orphaned', 'used-by-blue']));
  });
});
