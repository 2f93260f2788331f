import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { luaRunner } from '../../support/lua.js';

const argocdDir = join(import.meta.dirname, '..', '..', '..', 'deploy', 'argocd');
const healthLua = join(argocdDir, 'health.lua');

/** Renders a JSON value as a Lua 5.1 table constructor, the way Argo CD hands `obj` to the script. */
function toLua(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{${value.map(toLua).join(', ')}}`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `[${JSON.stringify(k)}] = ${toLua(v)}`)
    .join(', ')}}`;
}

const lua = await luaRunner();
console.log(`Argo CD health check runs in ${lua.name}`);

/** Runs the health script with `obj` as Argo CD would and returns `hs`. */
function health(obj: unknown): { status: string; message: string } {
  const script = readFileSync(healthLua, 'utf8');
  const out = lua.run(
    `obj = ${toLua(obj)}\nlocal hs = (function() ${script}\nend)()\nreturn hs.status .. "\\t" .. hs.message`,
  );
  const [status = '', message = ''] = out.split('\t');
  return { status, message };
}

const condition = (type: string, status: string, reason = 'Reconciled', message = '') => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: '2026-01-01T00:00:00Z',
});
const delegation = (extra: { metadata?: object; spec?: object; status?: object } = {}) => ({
  apiVersion: 'ram-delegation.dev/v1alpha1',
  kind: 'CrossAccountDelegation',
  metadata: { name: 'd', namespace: 'default', generation: 2, ...extra.metadata },
  spec: { suspend: false, ...extra.spec },
  ...(extra.status ? { status: extra.status } : {}),
});

describe(`Argo CD health check in ${lua.name}`, () => {
  const cases: [name: string, obj: unknown, status: string, message: RegExp][] = [
    ['no status', delegation(), 'Progressing', /Waiting for the operator/],
    [
      'observedGeneration behind',
      delegation({ status: { observedGeneration: 1, conditions: [condition('Ready', 'True')] } }),
      'Progressing',
      /generation 2/,
    ],
    [
      'observedGeneration missing',
      delegation({ status: { conditions: [condition('Ready', 'True')] } }),
      'Progressing',
      /generation 2/,
    ],
    [
      'Ready=True',
      delegation({
        status: {
          observedGeneration: 2,
          conditions: [condition('Ready', 'True', 'Reconciled', 'all synced')],
        },
      }),
      'Healthy',
      /all synced/,
    ],
    [
      'Stalled=True',
      delegation({
        status: {
          observedGeneration: 2,
          conditions: [
            condition('Ready', 'False', 'EntityNotManaged'),
            condition('Stalled', 'True', 'EntityNotManaged', 'role x exists'),
          ],
        },
      }),
      'Degraded',
      /EntityNotManaged: role x exists/,
    ],
    [
      'suspended',
      delegation({
        spec: { suspend: true },
        status: { observedGeneration: 2, conditions: [condition('Ready', 'False', 'Suspended')] },
      }),
      'Suspended',
      /Suspended/,
    ],
    [
      'deleting',
      delegation({
        metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' },
        status: { observedGeneration: 2, conditions: [condition('Ready', 'True')] },
      }),
      'Progressing',
      /Revoking/,
    ],
    [
      'Ready=False and retrying',
      delegation({
        status: {
          observedGeneration: 2,
          conditions: [
            condition('Ready', 'False', 'Throttled', 'throttled by RAM'),
            condition('Reconciling', 'True', 'Progressing'),
          ],
        },
      }),
      'Progressing',
      /throttled/,
    ],
    [
      'expired: Degraded on purpose, with the message (time ended access, nobody paused it)',
      delegation({
        spec: { expiresAt: '2027-03-31T00:00:00Z' },
        status: {
          observedGeneration: 2,
          conditions: [
            condition(
              'Ready',
              'False',
              'Expired',
              'expired at 2027-03-31T00:00:00Z: the role has no policies',
            ),
            condition('AccessVerified', 'False', 'Expired'),
          ],
        },
      }),
      'Degraded',
      /^Expired: expired at 2027-03-31T00:00:00Z/,
    ],
    [
      'expired and suspended: expiry wins, as in the status',
      delegation({
        spec: { suspend: true, expiresAt: '2027-03-31T00:00:00Z' },
        status: { observedGeneration: 2, conditions: [condition('Ready', 'False', 'Expired', 'expired')] },
      }),
      'Degraded',
      /^Expired/,
    ],
    [
      'expiring soon but not yet: Healthy',
      delegation({
        spec: { expiresAt: '2027-03-31T00:00:00Z' },
        status: {
          observedGeneration: 2,
          expiresSoon: true,
          conditions: [condition('Ready', 'True', 'Reconciled', 'all synced')],
        },
      }),
      'Healthy',
      /all synced/,
    ],
    [
      'Stalled beats suspended',
      delegation({
        spec: { suspend: true },
        status: {
          observedGeneration: 2,
          conditions: [condition('Stalled', 'True', 'CredentialsNotFound', 'no secret')],
        },
      }),
      'Degraded',
      /CredentialsNotFound/,
    ],
  ];

  it.each(cases)('%s', (_name, obj, status, message) => {
    const hs = health(obj);
    expect(hs.status).toBe(status);
    expect(hs.message).toMatch(message);
  });

  it('argocd-cm carries health.lua verbatim', () => {
    const cm = parse(readFileSync(join(argocdDir, 'argocd-cm.yaml'), 'utf8')) as {
      data: Record<string, string>;
    };
    expect(cm.data['resource.customizations.health.ram-delegation.dev_CrossAccountDelegation']).toBe(
      readFileSync(healthLua, 'utf8'),
    );
  });
});
