/**
 * The lifecycle fields (issue #15) in the schema and in the generated CRD: RFC 3339 `expiresAt`, Go
 * durations of at least 10s for `accessKeyRotation`, Programmatic users only; the API server (our
 * schema machinery, with its CEL) refuses what the runtime parser refuses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileCrd } from '@ram-delegation/kube-apiserver/schema';
import { parseGoDuration } from '../../../src/api/lifecycle-fields.js';
import { parseSpec } from '../../../src/api/parse.js';
import { aDelegationSpec, expiringAt, withKeyRotation } from '../../support/gen.js';

const CRD_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'crds',
  'crossaccountdelegations.ram-delegation.dev.yaml',
);

function schema() {
  const compiled = compileCrd(parse(readFileSync(CRD_FILE, 'utf8')));
  if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join('\n'));
  return compiled.crd.versions.get('v1alpha1')!;
}

const object = (spec: Record<string, unknown>) => ({
  apiVersion: 'ram-delegation.dev/v1alpha1',
  kind: 'CrossAccountDelegation',
  metadata: { name: 'd', namespace: 'default' },
  spec,
});

describe('Go durations', () => {
  it.each([
    ['2160h', 2160 * 3_600_000],
    ['30s', 30_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
  ])('%s is %d ms', (text, ms) => expect(parseGoDuration(text)).toBe(ms));

  it.each(['', '90 days', '10', '1d', '-5s'])('refuses %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('the lifecycle fields', () => {
  const version = schema();
  const valid = aDelegationSpec(
    expiringAt('2027-03-31T00:00:00Z'),
    withKeyRotation('orders-publisher', '20s', '10s'),
  );

  it('accepts expiresAt and a rotation schedule, at runtime and at admission', () => {
    expect(parseSpec(valid).ok).toBe(true);
    const admitted = object(structuredClone(valid));
    version.applyDefaults(admitted);
    expect(version.validate(admitted)).toEqual([]);
  });

  it.each([
    ['expiresAt not a time', (s: any) => (s.expiresAt = 'next tuesday'), /spec\.expiresAt.*date-time/],
    [
      'a rotation under 10s',
      (s: any) => (s.users[0].accessKeyRotation.after = '5s'),
      /spec\.users\[0\]\.accessKeyRotation\.after.*must be at least 10s/,
    ],
    [
      'a rotation that is not a Go duration',
      (s: any) => (s.users[0].accessKeyRotation.gracePeriod = '1 day'),
      /spec\.users\[0\]\.accessKeyRotation\.gracePeriod/,
    ],
    [
      'a rotation on a Console user',
      (s: any) => (s.users[1].accessKeyRotation = { after: '2160h', gracePeriod: '24h' }),
      /spec\.users\[1\]\.accessKeyRotation.*Programmatic users only/,
    ],
  ])('refuses %s at admission and at runtime', (_name, mutate, message) => {
    const spec = structuredClone(valid) as Record<string, any>;
    mutate(spec);
    expect(parseSpec(spec).ok).toBe(false);
    const admitted = object(spec);
    version.applyDefaults(admitted);
    expect(
      version
        .validate(admitted)
        .map((e) => e.message)
        .join('\n'),
    ).toMatch(message);
  });
});
