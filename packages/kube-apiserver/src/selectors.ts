/**
 * Label and field selectors as the list and watch endpoints accept them. A label selector supports
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` and `!k`; a field selector supports `=`, `==`
 * and `!=` on the labels a resource declares (anything else is a 400 from the caller).
 */
import { badRequest } from './errors.js';

type LabelRequirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: Set<string> }
  | { op: 'exists' | 'notexists'; key: string };

export type LabelSelector = LabelRequirement[];

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

const KEY = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key))
    throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${selector}"`);
  return key;
}

export function parseLabelSelector(text: string | null | undefined): LabelSelector {
  if (!text) return [];
  return splitTopLevel(text).map((part): LabelRequirement => {
    const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
    if (setMatch) {
      const [, key = '', op, list = ''] = setMatch;
      const values = new Set(
        list
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v.length > 0),
      );
      return { op: op === 'in' ? 'in' : 'notin', key: checkKey(key, text), values };
    }
    const cmp = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (cmp) {
      const [, key = '', op, value = ''] = cmp;
      return { op: op === '!=' ? 'neq' : 'eq', key: checkKey(key, text), value: value.trim() };
    }
    if (part.startsWith('!')) return { op: 'notexists', key: checkKey(part.slice(1).trim(), text) };
    return { op: 'exists', key: checkKey(part, text) };
  });
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const req of selector) {
    const value = labels?.[req.key];
    switch (req.op) {
      case 'eq':
        if (value !== req.value) return false;
        break;
      case 'neq':
        if (value === req.value) return false;
        break;
      case 'in':
        if (value === undefined || !req.values.has(value)) return false;
        break;
      case 'notin':
        if (value !== undefined && req.values.has(value)) return false;
        break;
      case 'exists':
        if (value === undefined) return false;
        break;
      case 'notexists':
        if (value !== undefined) return false;
        break;
    }
  }
  return true;
}

interface FieldRequirement {
  field: string;
  value: string;
  negate: boolean;
}

export type FieldSelector = FieldRequirement[];

export function parseFieldSelector(text: string | null | undefined): FieldSelector {
  if (!text) return [];
  return splitTopLevel(text).map((part) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const [, field = '', op, value = ''] = m;
    return { field: field.trim(), value: value.trim(), negate: op === '!=' };
  });
}

/** `lookup` returns a label's value, or undefined when the resource does not support that label. */
export function matchesFields(
  selector: FieldSelector,
  lookup: (label: string) => string | undefined,
): boolean {
  for (const req of selector) {
    const actual = lookup(req.field) ?? '';
    if ((actual === req.value) === req.negate) return false;
  }
  return true;
}
