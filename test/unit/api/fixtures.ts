import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const examplesDir = join(import.meta.dirname, '..', '..', '..', 'examples');

/** Every manifest under examples/, parsed from YAML (multi-document files are not used there). */
export function loadExamples(): { file: string; manifest: Record<string, any> }[] {
  return readdirSync(examplesDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((file) => ({
      file,
      manifest: parse(readFileSync(join(examplesDir, file), 'utf8')) as Record<string, any>,
    }));
}
