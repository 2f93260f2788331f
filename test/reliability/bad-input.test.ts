/**
 * A corpus of invalid manifests (test/fixtures/invalid/*.yaml). Each file states its fate in a header:
 * `# expect: refused <field path>`: the API server refuses it and kubectl's message names the field;
 * `# expect: stalled <Reason>`: it is accepted, ends Stalled with that reason, and nothing was written
 * in either cloud account.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_GROUP, API_VERSION, PLURAL } from '../../src/api/constants.js';
import { condition, forEachBounded, scrape, sleep, sumSamples, CLOUD_CALLS } from './fleet.js';
import { entityCounts, startRig, type Rig } from './rig.js';

const CORPUS = join(import.meta.dirname, '..', 'fixtures', 'invalid');

interface Expectation {
  file: string;
  text: string;
  name: string;
  fate: 'refused' | 'stalled';
  /** The field path (refused) or the Stalled reason. */
  detail: string;
}

/** Reads the `# expect:` header of every corpus file; a file without one is a corpus bug. */
function readCorpus(dir: string): Expectation[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const header = /^# expect: (refused|stalled) (\S+)\s*$/m.exec(text);
      const name = /^ {2}name: (\S+)$/m.exec(text);
      if (!header || !name)
        throw new Error(
          `${file}: needs "# expect: refused <field>" or "# expect: stalled <Reason>" and metadata.name`,
        );
      return {
        file,
        text,
        name: name[1] as string,
        fate: header[1] as 'refused' | 'stalled',
        detail: header[2] as string,
      };
    });
}

const corpus = readCorpus(CORPUS);
const outcomes = new Map<string, { code: number; output: string }>();
let rig: Rig;
let countsBefore: Record<string, number>;

beforeAll(async () => {
  rig = await startRig();
  const b = rig.env.info.authorized;
  const created = await rig.kubectl([
    'create',
    'secret',
    'generic',
    'reliability-wrong-account',
    `--from-literal=accessKeyId=${b.accessKeyId}`,
    `--from-literal=accessKeySecret=${b.accessKeySecret}`,
  ]);
  expect(created.code, created.stderr).toBe(0);
  countsBefore = await entityCounts(rig);
  await forEachBounded(corpus, 4, async (entry) => {
    const result = await rig.kubectl(['apply', '-f', '-'], entry.text);
    outcomes.set(entry.file, { code: result.code, output: `${result.stderr}${result.stdout}` });
  });
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

describe('the invalid-manifest corpus', () => {
  it('has at least 40 manifests with distinct names, each with an expectation', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(new Set(corpus.map((entry) => entry.name)).size).toBe(corpus.length);
    expect(corpus.filter((entry) => entry.fate === 'stalled').length).toBeGreaterThanOrEqual(5);
  });

  for (const entry of corpus.filter((e) => e.fate === 'refused')) {
    it(`${entry.file}: refused, naming ${entry.detail}`, () => {
      const outcome = outcomes.get(entry.file)!;
      expect(outcome.code, outcome.output).not.toBe(0);
      expect(outcome.output).toContain(entry.detail);
      expect(outcome.output).toMatch(
        /is invalid|Invalid value|Required value|Unsupported value|Too long|Too many|Too few|must/,
      );
    });
  }

  it('accepts each stalled manifest and ends it Stalled with the expected reason', async () => {
    const stalled = corpus.filter((e) => e.fate === 'stalled');
    for (const entry of stalled)
      expect(outcomes.get(entry.file)?.code, `${entry.file}: ${outcomes.get(entry.file)?.output}`).toBe(0);
    const deadline = Date.now() + 30_000;
    const pending = new Map(stalled.map((entry) => [entry.name, entry]));
    const seen = new Map<string, string>();
    while (pending.size > 0 && Date.now() < deadline) {
      for (const entry of [...pending.values()]) {
        const cad: any = await rig.fleet.api.getNamespacedCustomObject({
          group: API_GROUP,
          version: API_VERSION,
          namespace: 'default',
          plural: PLURAL,
          name: entry.name,
        });
        const stalledCondition = condition(cad, 'Stalled');
        seen.set(entry.file, JSON.stringify(cad.status?.conditions ?? []));
        if (
          stalledCondition?.status === 'True' &&
          cad.status?.observedGeneration === cad.metadata.generation
        ) {
          expect(stalledCondition.reason, `${entry.file}: ${seen.get(entry.file)}`).toBe(entry.detail);
          expect(stalledCondition.message ?? '').not.toBe('');
          expect(condition(cad, 'Ready')?.status).toBe('False');
          pending.delete(entry.name);
        }
      }
      if (pending.size > 0) await sleep(200);
    }
    expect([...pending.values()].map((entry) => `${entry.file}: ${seen.get(entry.file)}`)).toEqual([]);
  }, 60_000);

  it('wrote nothing in either account for any of them', async () => {
    expect(sumSamples(await scrape(rig.metricsUrl), CLOUD_CALLS, { kind: 'write' })).toBe(0);
    expect(await entityCounts(rig)).toEqual(countsBefore);
  });
});
