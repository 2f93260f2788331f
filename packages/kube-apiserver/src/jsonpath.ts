/**
 * The JSONPath subset CRD printer columns use: `.a.b`, `['a.b']`, `[0]`, `[*]` and filters
 * `[?(@.type=="Ready")]` (==, !=). Returns every match, as kubectl's JSONPath FindResults does.
 */
import { isJsonObject, scalarText } from './types.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: string[]; op: '==' | '!='; value: string }
  | { kind: 'exists'; path: string[] };

export function compileJsonPath(expression: string): Step[] {
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  if (text.startsWith('$')) text = text.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      const m = /^\.([^.[\]]+)/.exec(text.slice(i));
      if (!m?.[1]) {
        i++;
        continue;
      }
      steps.push(m[1] === '*' ? { kind: 'wildcard' } : { kind: 'field', name: m[1] });
      i += m[0].length;
    } else if (ch === '[') {
      const close = findClose(text, i);
      const inner = text.slice(i + 1, close).trim();
      steps.push(bracketStep(inner));
      i = close + 1;
    } else {
      const m = /^([^.[\]]+)/.exec(text.slice(i));
      steps.push({ kind: 'field', name: m?.[1] ?? '' });
      i += m?.[0].length ?? 1;
    }
  }
  return steps;
}

function findClose(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = open; j < text.length; j++) {
    const c = text[j];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return j;
  }
  throw new Error(`unclosed [ in JSONPath ${text}`);
}

function unquote(text: string): string {
  const t = text.trim();
  return (t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))
    ? t.slice(1, -1)
    : t;
}

function bracketStep(inner: string): Step {
  if (inner === '*') return { kind: 'wildcard' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const filter = /^\?\(@((?:\.[^.=!<>\s)]+)+)\s*(?:(==|!=)\s*(.+))?\)$/.exec(inner);
  if (filter) {
    const path = (filter[1] ?? '').split('.').filter(Boolean);
    if (!filter[2]) return { kind: 'exists', path };
    return { kind: 'filter', path, op: filter[2] === '!=' ? '!=' : '==', value: unquote(filter[3] ?? '') };
  }
  return { kind: 'field', name: unquote(inner) };
}

function follow(value: unknown, path: string[]): unknown {
  let current = value;
  for (const name of path) current = isJsonObject(current) ? current[name] : undefined;
  return current;
}

export function evaluateJsonPath(steps: Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      switch (step.kind) {
        case 'field':
          if (isJsonObject(value) && value[step.name] !== undefined) next.push(value[step.name]);
          break;
        case 'index':
          if (Array.isArray(value)) {
            const item: unknown = value[step.index < 0 ? value.length + step.index : step.index];
            if (item !== undefined) next.push(item);
          }
          break;
        case 'wildcard':
          if (Array.isArray(value)) next.push(...(value as unknown[]));
          else if (isJsonObject(value)) next.push(...Object.values(value));
          break;
        case 'filter':
        case 'exists':
          if (Array.isArray(value)) {
            for (const item of value as unknown[]) {
              const got = follow(item, step.path);
              if (step.kind === 'exists') {
                if (got !== undefined) next.push(item);
              } else if ((got !== undefined && scalarText(got) === step.value) === (step.op === '==')) {
                next.push(item);
              }
            }
          }
          break;
      }
    }
    current = next;
  }
  return current;
}
