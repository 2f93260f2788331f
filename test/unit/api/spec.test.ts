import { describe, expect, it } from 'vitest';
import {
  crossAccountDelegationManifestSchema,
  describeProblems,
  mfaRequired,
  parseSpec,
  type CrossAccountDelegationSpec,
} from '../../../src/api/index.js';
import { aDelegationSpec } from '../../support/gen.js';
import { loadExamples } from './fixtures.js';

type Spec = Record<string, any>;
const statement = (extra: Spec = {}) => ({ Effect: 'Allow', Action: 'ram:GetRole', Resource: '*', ...extra });

describe('CrossAccountDelegation spec', () => {
  it.each(loadExamples().map((e) => [e.file, e.manifest] as const))(
    'example %s parses as a whole manifest',
    (_file, manifest) => {
      const result = crossAccountDelegationManifestSchema.safeParse(manifest);
      expect(result.success, result.success ? '' : JSON.stringify(result.error.issues)).toBe(true);
    },
  );

  it("the tests' spec builder starts from exactly the seed example", () => {
    const example = loadExamples().find((e) => e.file === 'eventbridge-publisher.yaml');
    expect(aDelegationSpec()).toEqual(example?.manifest.spec);
  });

  it('fills defaults', () => {
    const minimal = loadExamples().find((e) => e.file === 'minimal.yaml')!;
    const result = parseSpec(minimal.manifest.spec);
    if (!result.ok) throw new Error(describeProblems(result.problems));
    const spec: CrossAccountDelegationSpec = result.value;
    expect(spec.role.maxSessionDuration).toBe(3600);
    expect(spec.role.trust).toEqual({ principals: 'Account', requireMFA: false });
    expect(spec.users).toEqual([]);
    expect(spec.assumeRoleGrant).toBe('Scoped');
    expect(spec.deletionPolicy).toBe('Delete');
    expect(spec.suspend).toBe(false);
  });

  it('defaults MFA to required for Console users only', () => {
    const result = parseSpec(aDelegationSpec());
    if (!result.ok) throw new Error(describeProblems(result.problems));
    const [programmatic, consoleUser] = result.value.users;
    expect(mfaRequired(programmatic!)).toBe(false);
    expect(mfaRequired(consoleUser!)).toBe(true);
    expect(mfaRequired({ ...consoleUser!, mfaRequired: false })).toBe(false);
    expect(mfaRequired({ ...consoleUser!, mfaRequired: undefined })).toBe(true);
  });

  it('accepts a string or a list for Action and Resource, and conditions of every family', () => {
    const spec: Spec = aDelegationSpec();
    spec.policies[0].custom.document.Statement.push(
      statement({
        Action: ['eventbridge:PutEvents'],
        Resource: 'acs:eventbridge:*:*:eventbus/x',
        Condition: {
          IpAddress: { 'acs:SourceIp': ['10.0.0.0/8'] },
          Bool: { 'acs:MFAPresent': true },
          NumericLessThan: { 'acs:Port': 10 },
        },
      }),
    );
    expect(parseSpec(spec).ok).toBe(true);
  });
});

describe('ownership marker', () => {
  it('fits RAM tag values and user Comments (128 characters) however long the names are', async () => {
    const { ownershipMarker, ownershipValue } = await import('../../../src/api/constants.js');
    expect(ownershipValue('c', 'ns', 'n')).toBe('c/ns/n');
    const long = ownershipMarker('production-cluster-eu', 'n'.repeat(63), 'd'.repeat(253));
    expect(long.length).toBeLessThanOrEqual(128);
    expect(long).toBe(ownershipMarker('production-cluster-eu', 'n'.repeat(63), 'd'.repeat(253)));
    expect(long).not.toBe(ownershipMarker('production-cluster-eu', 'n'.repeat(63), `${'d'.repeat(252)}e`));
  });
});
