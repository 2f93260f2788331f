import { describe, expect, it } from 'vitest';
import { generatePassword, passwordLength } from '../../../src/delegation/password.js';

describe('generatePassword', () => {
  it('has every character class RAM may require, and the requested length', () => {
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      expect(password).toHaveLength(24);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[^A-Za-z0-9]/);
    }
  });

  it('does not repeat', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generatePassword()));
    expect(seen.size).toBe(1000);
  });
});

describe('generatePassword under an account password policy', () => {
  const policy = (minimumLength: number) => ({
    minimumLength,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: true,
  });

  it.each([
    [8, 24],
    [20, 24],
    [30, 30],
    [32, 32],
    [40, 32],
  ])('minimum length %i gives %i characters, every class included', (minimum, length) => {
    const password = generatePassword(policy(minimum));
    expect(password).toHaveLength(length);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[0-9]/);
    expect(password).toMatch(/[^A-Za-z0-9]/);
    expect(passwordLength(policy(minimum))).toBe(length);
  });
});
