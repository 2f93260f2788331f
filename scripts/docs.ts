/**
 * `npm run docs`: writes the generated pages of `docs/reference/` (API reference, condition reasons,
 * Events) from `src/api/`, and the declared-minimum table of `docs/benchmarks.md` from
 * `bench/declared-minimum.ts` (between its markers), formatted by Prettier with the repository's settings so that
 * `prettier --check .` and the test that compares them with the generator agree.
 * Usage: tsx scripts/docs.ts [--out <dir>]   (default docs/reference)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { DECLARED_MINIMUM_MARKERS, renderDeclaredMinimumTable } from '../bench/declared-minimum.js';
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

/** The benchmarks page, whose declared-minimum table is generated. */
export const BENCHMARKS_DOC = join('docs', 'benchmarks.md');

/** `current` (the benchmarks page) with the text between its declared-minimum markers regenerated. */
export async function withDeclaredMinimum(current: string): Promise<string> {
  const { begin, end } = DECLARED_MINIMUM_MARKERS;
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${BENCHMARKS_DOC}: the markers ${begin} … ${end} are missing`);
  const config = (await prettier.resolveConfig(resolve(BENCHMARKS_DOC))) ?? {};
  const table = await prettier.format(renderDeclaredMinimumTable(), { ...config, parser: 'markdown' });
  return `${current.slice(0, from + begin.length)}\n\n${table}\n${current.slice(to)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: REFERENCE_DIR } } });
  await mkdir(values.out, { recursive: true });
  for (const [file, text] of await referenceDocFiles()) {
    const path = join(values.out, file);
    await writeFile(path, text);
    console.log(`wrote ${path}`);
  }
  await writeFile(BENCHMARKS_DOC, await withDeclaredMinimum(await readFile(BENCHMARKS_DOC, 'utf8')));
  console.log(`wrote ${BENCHMARKS_DOC} (declared minimum)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
