/**
 * Asking the API server what the operator's ServiceAccount may do: `kubectl auth can-i`, either with
 * an administrator's kubectl impersonating it (`--as`) or with a kubectl holding its own token.
 */
import type { Kubectl } from '@ram-delegation/kube-apiserver';

/** The CrossAccountDelegation resource as kubectl names it. */
export const DELEGATIONS = 'crossaccountdelegations.ram-delegation.dev';

/** The user name of a ServiceAccount given as `<namespace>/<name>` (sandbox.json's spelling). */
export function serviceAccountUser(serviceAccount: string): string {
  return `system:serviceaccount:${serviceAccount.replace('/', ':')}`;
}

/**
 * `kubectl auth can-i <verb> <resource> [scope...]`, resolving "yes" or "no". A subresource goes in
 * `--subresource=<x>` (`<resource>/<x>` would name an object called x).
 */
export function canIWith(kubectl: Kubectl, as?: string) {
  return async (verb: string, resource: string, ...scope: string[]): Promise<string> => {
    const result = await kubectl(['auth', 'can-i', verb, resource, ...scope, ...(as ? ['--as', as] : [])]);
    return result.stdout.trim();
  };
}
