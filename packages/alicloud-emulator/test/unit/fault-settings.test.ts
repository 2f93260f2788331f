import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../src/contract.js';
import { modelFaultsOf, NO_FAULTS, updateFaultSettings } from '../../src/server/fault-settings.js';

function refusal(update: unknown): ApiError {
  try {
    updateFaultSettings(NO_FAULTS, update);
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected a refusal');
}

describe('fault settings: the model faults', () => {
  it('are off by default and accepted within range', () => {
    expect(modelFaultsOf(NO_FAULTS)).toEqual({
      consistencyLagMs: 0,
      tagLagMs: 0,
      authorizationLagMs: 0,
      lowercaseArns: 0,
    });
    const next = updateFaultSettings(NO_FAULTS, {
      consistencyLagMs: 1500,
      tagLagMs: 300_000,
      authorizationLagMs: 0.5,
      lowercaseArns: 1,
    });
    expect(modelFaultsOf(next)).toEqual({
      consistencyLagMs: 1500,
      tagLagMs: 300_000,
      authorizationLagMs: 0.5,
      lowercaseArns: 1,
    });
  });

  it.each([
    ['consistencyLagMs', -1],
    ['consistencyLagMs', 300_001],
    ['consistencyLagMs', '100'],
    ['tagLagMs', -0.5],
    ['tagLagMs', Number.MAX_SAFE_INTEGER],
    ['tagLagMs', null],
    ['authorizationLagMs', 1e9],
    ['authorizationLagMs', true],
    ['lowercaseArns', 2],
    ['lowercaseArns', 0.5],
    ['lowercaseArns', -1],
    ['lowercaseArns', 'yes'],
  ])('%s = %j is a 400 naming the field', (field, value) => {
    const error = refusal({ [field]: value });
    expect({ code: error.code, status: error.httpStatus }).toEqual({
      code: `InvalidParameter.${field}`,
      status: 400,
    });
    expect(error.message).toContain(field);
  });
});
