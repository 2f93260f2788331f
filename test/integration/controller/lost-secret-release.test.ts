/**
 * A credential Secret's release is a check queued in memory when the last delegation using it goes. An
 * operator killed between that deletion and the check leaves the in-use finalizer behind; the operator's
 * informers, wired as the operator wires them, find such Secrets at start and release them, and leave
 * alone those a delegation of this shard, or of another, still uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_IN_USE_FINALIZER, SHARD_LABEL } from '../../../src/api/constants.js';
import {
  CredentialSecrets,
  createSecretReleaseController,
  type SecretReleaseController,
} from '../../../src/controller/credential-secrets.js';
import { delegationResource } from '../../../src/controller/kube-clients.js';
import {
  createOperatorInformers,
  referencedInNamespace,
  type OperatorInformers,
} from '../../../src/controller/operator-informers.js';
import { createLogger } from '../../../src/observability/logger.js';
import { delegationManifest, eventually, startKube, type KubeFixture } from './kube-fixture.js';

const NAMESPACE = 'lost-release';

describe('a credential Secret release lost to a crash', () => {
  let kube: KubeFixture;
  let informers: OperatorInformers | undefined;
  let release: SecretReleaseController | undefined;
  const checked: string[] = [];

  beforeAll(async () => {
    kube = await startKube();
    await kube.core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  });
  afterAll(async () => {
    await informers?.stop();
    await release?.queue.shutdown();
    await kube?.stop();
  });

  const finalizersOf = async (name: string) =>
    (await kube.core.readNamespacedSecret({ namespace: NAMESPACE, name })).metadata?.finalizers ?? [];

  /** A credential Secret as a pass leaves it: in-use finalizer and label. */
  const heldSecret = (name: string) =>
    kube.core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: {
        metadata: {
          name,
          finalizers: [SECRET_IN_USE_FINALIZER],
          labels: { 'ram-delegation.dev/credentials': 'in-use' },
        },
        stringData: { accessKeyId: 'id', accessKeySecret: 'secret' },
      },
    });

  const delegationUsing = async (name: string, secretName: string, shard?: string) => {
    const body = delegationManifest(name, NAMESPACE);
    body.spec.owner.credentials.secretRef.name = secretName;
    if (shard) body.metadata!.labels = { [SHARD_LABEL]: shard };
    await kube.customObjects.createNamespacedCustomObject({
      ...delegationResource,
      namespace: NAMESPACE,
      body,
    });
  };

  /** Starts the informers and release controller as a freshly started operator (default shard) does. */
  function startOperatorInformers(): void {
    const logger = createLogger({ level: 'silent' });
    const secrets = new CredentialSecrets({
      core: kube.core,
      stillReferenced: async (namespace, name, exceptKey) =>
        informersNow.index.isUsed(namespace, name, exceptKey) ||
        (await referencedInNamespace(kube.customObjects, namespace, name, exceptKey)),
    });
    const controller = createSecretReleaseController(secrets, logger);
    const informersNow = createOperatorInformers({
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
    release = controller;
    informers = informersNow;
    controller.queue.start();
    informersNow.start();
  }

  it('releases the Secret nothing uses, and keeps those a delegation of any shard uses', async () => {
    await heldSecret('orphaned');
    await heldSecret('used-here');
    await heldSecret('used-by-blue');
    await delegationUsing('here', 'used-here');
    await delegationUsing('elsewhere', 'used-by-blue', 'blue');

    startOperatorInformers();
    await eventually(async () => expect(await finalizersOf('orphaned')).toEqual([]));
    await eventually(() => {
      expect(informers!.hasSynced()).toBe(true);
      expect(release!.queue.depth + release!.queue.active).toBe(0);
    });
    expect(await finalizersOf('used-here')).toEqual([SECRET_IN_USE_FINALIZER]);
    expect(await finalizersOf('used-by-blue')).toEqual([SECRET_IN_USE_FINALIZER]);
    // Only Secrets no delegation of this shard uses are checked: the one in use here costs no list.
    expect(checked).not.toContain('used-here');
    expect(checked).toEqual(expect.arrayContaining(['orphaned', 'used-by-blue']));
  });
});
