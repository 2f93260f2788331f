import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const examplesDir = join(import.meta.dirname, '..', '..', '..', 'examples');

/** Every manifest under examples/, parsed from YAML (multi-document files are not used there). */
export function loadExamples(): { file: string; manifest: Record<string, any> }[] {
  return readdirSync(examplesDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((file) => ({
      file,
      manifest: parse(readFileSync(join(examplesDir, file), 'utf8')) as Record<string, any>,
    }));
}

/** A fresh copy of the seed scenario's spec to mutate in a test. */
export function seedSpec(): Record<string, any> {
  const seed = loadExamples().find((e) => e.file === 'eventbridge-publisher.yaml');
  if (!seed) throw new Error('examples/eventbridge-publisher.yaml is missing');
  return structuredClone(seed.manifest.spec as Record<string, any>);
}
