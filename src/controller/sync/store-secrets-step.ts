import type { IssuedCredential } from '../../delegation/context.js';
import { secretOwner, writeUserSecrets } from '../user-secrets.js';
import { fromStep, type SyncPass, type SyncStep } from './sync-pass.js';

/**
 * Stores the credentials issued this pass in their users' Secrets. Runs right after the cloud steps:
 * a key that is not stored is deleted and reissued by the next pass.
 */
export const storeSecretsStep: SyncStep = {
  name: 'store Secrets',
  async run(pass) {
    await storeIssued(pass, pass.issued);
    return 'continue';
  },
};

/** Writes `issued` into the users' Secrets and makes the new AccessKeys available to verification. */
export async function storeIssued(pass: SyncPass, issued: readonly IssuedCredential[]): Promise<void> {
  const spec = fromStep(pass.spec, 'validate');
  const userSecrets = fromStep(pass.userSecrets, 'credentials');
  const { kube, ownSecretWrites } = pass.deps;
  await writeUserSecrets(kube.core, secretOwner(pass.object), spec.users, issued, ownSecretWrites);
  for (const credential of issued) {
    if (credential.kind === 'AccessKey') userSecrets.accessKeys.set(credential.userName, credential);
  }
}
