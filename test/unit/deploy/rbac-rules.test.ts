/**
 * Issue 13, item 7: the RBAC that deploy/ ships grants exactly the verbs the operator's code calls.
 * The operator's source is scanned for every Kubernetes API call of @kubernetes/client-node, each is
 * mapped to the (API group, resource, verb) the API server authorizes it as, and the ClusterRole and
 * the leader-election Role must grant that set: no more (minimal) and no less (sufficient; the e2e
 * suites prove it again by running the operator as its ServiceAccount). A new call without a matching
 * rule, or a rule nothing calls any more, fails here with the code that needs it.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const root = join(import.meta.dirname, '..', '..', '..');

/** client-node method name → the verb the API server checks. */
const VERB_OF_METHOD: Record<string, string> = {
  read: 'get',
  get: 'get',
  list: 'list',
  create: 'create',
  patch: 'patch',
  replace: 'update',
  delete: 'delete',
};

/** The object a method acts on (its name after the verb and scope) → `group|resource`. */
const RESOURCE_OF_METHOD: Record<string, string> = {
  Secret: '|secrets',
  // Every CustomObjectsApi call names `delegationResource` (src/controller/kube-clients.ts).
  CustomObject: 'ram-delegation.dev|crossaccountdelegations',
  CustomObjectStatus: 'ram-delegation.dev|crossaccountdelegations/status',
  // Through EventsV1Api (src/controller/events.ts), the events.k8s.io/v1 API.
  Event: 'events.k8s.io|events',
  Lease: 'coordination.k8s.io|leases',
};

/** Every method of client-node's generated API classes (CoreV1Api, CustomObjectsApi, ...). */
const CLIENT_METHODS = new Set(
  Object.entries(k8s)
    .filter(([name, value]) => name.endsWith('Api') && typeof value === 'function')
    .flatMap(([, api]) => Object.getOwnPropertyNames((api as { prototype: object }).prototype)),
);
const CALL = /\.(\w+)\(/g;
const METHOD =
  /^(read|get|list|create|patch|replace|delete)(Namespaced|Cluster)?([A-Z]\w*?)(ForAllNamespaces)?$/;

/** The client-node API classes the operator uses (src/controller/kube-clients.ts). */
const KNOWN_APIS = ['CustomObjectsApi', 'CoreV1Api', 'EventsV1Api', 'CoordinationV1Api'];

/** The cloud side (RAM, STS): by the layering of docs/design.md it never talks to Kubernetes. */
const CLOUD_DIRS = ['src/alicloud', 'src/delegation'];

interface Need {
  rule: string;
  /** `file: call` of the code that needs it. */
  by: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** What the operator's code needs, by `group|resource|verb`, with the code that needs it. */
function neededByCode(): { needs: Map<string, Need>; unknown: string[] } {
  const needs = new Map<string, Need>();
  const unknown: string[] = [];
  const need = (rule: string, by: string) => {
    const entry = needs.get(rule) ?? { rule, by: [] };
    entry.by.push(by);
    needs.set(rule, entry);
  };
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const where = relative(root, file);
    // The API classes the operator builds; KubernetesObjectApi's generic calls (`create`, `list`)
    // name no kind, so the scan could not tell what they need.
    for (const [, made, maker] of text.matchAll(/makeApiClient\((\w+)\)|\b(\w+Api)\.makeApiClient\(/g))
      if (!KNOWN_APIS.includes(made ?? maker ?? ''))
        unknown.push(`${where}: makeApiClient(${made ?? maker})`);
    if (CLOUD_DIRS.some((dir) => where.startsWith(`${dir}/`))) {
      if (text.includes('@kubernetes/client-node')) unknown.push(`${where}: imports @kubernetes/client-node`);
      continue;
    }
    for (const [call, name = ''] of text.matchAll(CALL)) {
      // Generic names (`list`, `delete`) are Map's and Set's here: the typed APIs name the kind.
      const typed = METHOD.exec(name);
      if (!CLIENT_METHODS.has(name) || !typed) continue;
      const [, method = '', , object = ''] = typed;
      const resource = RESOURCE_OF_METHOD[object];
      if (!resource) {
        unknown.push(`${where}: ${call}`);
        continue;
      }
      need(`${resource}|${VERB_OF_METHOD[method]}`, `${where}: ${call}`);
      // Every list is an informer's: it is followed by a watch from the list's resourceVersion.
      if (method === 'list') need(`${resource}|watch`, `${where}: ${call} (informer)`);
    }
    // An owner reference with blockOwnerDeletion needs update on the owner's finalizers subresource
    // where the OwnerReferencesPermissionEnforcement admission plugin runs.
    if (/blockOwnerDeletion: true/.test(text))
      need('ram-delegation.dev|crossaccountdelegations/finalizers|update', `${where}: blockOwnerDeletion`);
  }
  return { needs, unknown };
}

function granted(rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[]): string[] {
  return rules.flatMap((r) =>
    r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}|${res}|${v}`))),
  );
}

let docs: any[];
let code: ReturnType<typeof neededByCode>;

beforeAll(async () => {
  const { stdout } = await promisify(execFile)('kubectl', ['kustomize', join(root, 'deploy')]);
  docs = parseAllDocuments(stdout).map((d) => d.toJS());
  code = neededByCode();
});

describe('the RBAC in deploy/ against the calls in src/', () => {
  it('finds the informers, the status patch, the Secrets, Events and Leases', () => {
    expect(code.unknown).toEqual([]);
    // The scan itself must see the operator's calls (a scan finding nothing would prove nothing).
    expect([...code.needs.keys()]).toEqual(
      expect.arrayContaining([
        'ram-delegation.dev|crossaccountdelegations|watch',
        'ram-delegation.dev|crossaccountdelegations/status|patch',
        '|secrets|create',
        'events.k8s.io|events|create',
        'coordination.k8s.io|leases|update',
      ]),
    );
  });

  it('the ClusterRole and the leader-election Role grant exactly what the code calls', () => {
    const clusterRole = docs.find(
      (d) => d.kind === 'ClusterRole' && d.metadata.name === 'ram-delegation-operator',
    );
    const leaseRole = docs.find((d) => d.kind === 'Role' && d.metadata.name.endsWith('leader-election'));
    const grants = [...granted(clusterRole.rules), ...granted(leaseRole.rules)].sort();
    expect(new Set(grants).size).toBe(grants.length);
    const needed = [...code.needs.keys()].sort();
    const unused = grants.filter((g) => !code.needs.has(g));
    const missing = needed.filter((n) => !grants.includes(n)).map((n) => `${n} <- ${code.needs.get(n)!.by}`);
    expect({ unused, missing }).toEqual({ unused: [], missing: [] });
    // Leases only in the operator's own namespace (a Role), nothing else there.
    expect(granted(leaseRole.rules).every((g) => g.startsWith('coordination.k8s.io|leases|'))).toBe(true);
    expect(granted(clusterRole.rules).some((g) => g.includes('leases'))).toBe(false);
  });

  it('grants no wildcard, no escalation and nothing outside its own resources', () => {
    const rules = docs
      .filter((d) => d.kind === 'ClusterRole' || d.kind === 'Role')
      .flatMap((d) => d.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[]);
    for (const rule of rules) {
      expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain('*');
      expect(rule.verbs).not.toEqual(expect.arrayContaining(['escalate']));
      expect(rule.verbs).not.toEqual(expect.arrayContaining(['bind']));
      expect(rule.verbs).not.toEqual(expect.arrayContaining(['impersonate']));
    }
  });

  it('the scan fails on a call it cannot map, and on a rule nothing needs (it can fail)', () => {
    expect(CLIENT_METHODS.has('replaceNamespacedConfigMap')).toBe(true);
    expect(METHOD.exec('replaceNamespacedConfigMap')?.[3]).toBe('ConfigMap');
    expect(RESOURCE_OF_METHOD.ConfigMap).toBeUndefined();
    const extra = granted([{ apiGroups: [''], resources: ['secrets'], verbs: ['update'] }]);
    expect(extra.filter((g) => !code.needs.has(g))).toEqual(['|secrets|update']);
  });
});
