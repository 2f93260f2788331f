/**
 * Typed access to an RPC request's decoded parameters. The official SDKs send every value as a string:
 * numbers as decimal text, booleans as `true`/`false`, lists either as a JSON string (the SDK's
 * "shrink" style, e.g. `Tag=[{"Key":"k","Value":"v"}]`) or flattened (`Tag.1.Key=k`); both are read.
 */
import { invalidParameter, missingParameter } from './errors.js';

export interface TagInput {
  key: string;
  value: string;
}

export class Params {
  constructor(private readonly raw: Record<string, string>) {}

  /** The value, or undefined when absent or empty. */
  optional(name: string): string | undefined {
    const value = this.raw[name];
    return value === undefined || value === '' ? undefined : value;
  }

  /** The value; throws `Missing<name>` when absent or empty. */
  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw missingParameter(name);
    return value;
  }

  /** The raw value even when empty (for fields that may be cleared with an empty string). */
  present(name: string): string | undefined {
    return this.raw[name];
  }

  bool(name: string): boolean | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    if (value.toLowerCase() === 'true') return true;
    if (value.toLowerCase() === 'false') return false;
    throw invalidParameter(name, `The parameter ${name} must be true or false.`);
  }

  int(name: string): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value)) throw invalidParameter(name, `The parameter ${name} must be an integer.`);
    return Number(value);
  }

  /** A list of strings sent as a JSON array string or flattened as `Name.1`, `Name.2`, ... */
  stringList(name: string): string[] | undefined {
    const value = this.optional(name);
    if (value !== undefined) {
      const parsed = parseJson(name, value);
      if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
        throw invalidParameter(name, `The parameter ${name} must be a JSON array of strings.`);
      }
      return parsed;
    }
    const flattened = this.flattenedIndexes(name).map((i) => this.raw[`${name}.${i}`] ?? '');
    return flattened.length > 0 ? flattened : undefined;
  }

  /** Tags sent as `[{"Key":..,"Value":..}]` or flattened as `Tag.1.Key` / `Tag.1.Value`. */
  tags(name = 'Tag'): TagInput[] | undefined {
    const value = this.optional(name);
    if (value !== undefined) {
      const parsed = parseJson(name, value);
      if (!Array.isArray(parsed)) throw invalidParameter(name, `The parameter ${name} must be a JSON array.`);
      return parsed.map((item: unknown) => {
        const entry = (item ?? {}) as Record<string, unknown>;
        const key = entry.Key ?? entry.key;
        const tagValue = entry.Value ?? entry.value ?? '';
        if (typeof key !== 'string' || typeof tagValue !== 'string') {
          throw invalidParameter('Tag', 'Each tag needs a string Key and Value.');
        }
        return { key, value: tagValue };
      });
    }
    const indexes = this.flattenedIndexes(name);
    if (indexes.length === 0) return undefined;
    return indexes.map((i) => ({
      key: this.raw[`${name}.${i}.Key`] ?? '',
      value: this.raw[`${name}.${i}.Value`] ?? '',
    }));
  }

  private flattenedIndexes(name: string): number[] {
    const indexes = new Set<number>();
    const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)(\\.|$)`);
    for (const key of Object.keys(this.raw)) {
      const match = pattern.exec(key);
      if (match?.[1] !== undefined) indexes.add(Number(match[1]));
    }
    return [...indexes].sort((a, b) => a - b);
  }
}

function parseJson(name: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw invalidParameter(name, `The parameter ${name} is not valid JSON.`);
  }
}
