/**
 * `npm run docs`: writes the generated pages of `docs/reference/` (API reference, condition reasons,
 * Events) from `src/api/`, formatted by Prettier with the repository's settings so that
 * `prettier --check .` and the test that compares them with the generator agree.
 * Usage: tsx scripts/docs.ts [--out <dir>]   (default docs/reference)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { renderReferenceDocs } from '../src/api/reference-docs.js';

/** Where the generated pages live, relative to the repository root. */
export const REFERENCE_DIR = join('docs', 'reference');

/** The generated pages as they are committed: file name under {@link REFERENCE_DIR} → formatted text. */
export async function referenceDocFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const doc of renderReferenceDocs()) {
    const filepath = resolve(REFERENCE_DIR, doc.file);
    const config = (await prettier.resolveConfig(filepath)) ?? {};
    files.set(doc.file, await prettier.format(doc.markdown, { ...config, filepath }));
  }
  return files;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: REFERENCE_DIR } } });
  await mkdir(values.out, { recursive: true });
  for (const [file, text] of await referenceDocFiles()) {
    const path = join(values.out, file);
    await writeFile(path, text);
    console.log(`wrote ${path}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
