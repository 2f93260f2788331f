import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { API_GROUP_VERSION, KIND } from '../api/constants.js';

/**
 * The CrossAccountDelegations in the manifests given to `ram-delegation plan -f`: files, directories
 * (their `.yaml`, `.yml` and `.json` files, not recursive, as `kubectl apply -f <dir>`) and `-` for
 * standard input. Multi-document YAML and `kind: List` are read; other kinds are skipped.
 */

export interface DelegationManifest {
  /** Where it was read from, for messages. */
  source: string;
  /** `metadata.namespace`, when the manifest names one. */
  namespace: string | undefined;
  name: string;
  annotations: Record<string, string>;
  /** Not validated yet. */
  spec: unknown;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** The files a `-f` argument stands for. */
async function expand(path: string): Promise<string[]> {
  if (path === '-') return ['-'];
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path);
  return entries
    .filter((entry) => MANIFEST_EXTENSIONS.has(extname(entry)))
    .sort()
    .map((entry) => join(path, entry));
}

function delegationsIn(value: unknown, source: string): DelegationManifest[] {
  if (value === null || typeof value !== 'object') return [];
  const object = value as {
    apiVersion?: unknown;
    kind?: unknown;
    items?: unknown;
    metadata?: { name?: unknown; namespace?: unknown; annotations?: unknown };
    spec?: unknown;
  };
  if (object.kind === 'List' && Array.isArray(object.items))
    return object.items.flatMap((item) => delegationsIn(item, source));
  if (object.apiVersion !== API_GROUP_VERSION || object.kind !== KIND) return [];
  const name = object.metadata?.name;
  if (typeof name !== 'string' || name === '') throw new Error(`${source}: a ${KIND} without metadata.name`);
  const namespace = object.metadata?.namespace;
  const annotations = object.metadata?.annotations;
  return [
    {
      source,
      namespace: typeof namespace === 'string' && namespace !== '' ? namespace : undefined,
      name,
      annotations:
        annotations !== null && typeof annotations === 'object'
          ? Object.fromEntries(
              Object.entries(annotations).filter(
                (entry): entry is [string, string] => typeof entry[1] === 'string',
              ),
            )
          : {},
      spec: object.spec,
    },
  ];
}

export async function readManifests(
  paths: readonly string[],
  readStdin: () => Promise<string>,
): Promise<DelegationManifest[]> {
  const found: DelegationManifest[] = [];
  for (const path of paths) {
    for (const file of await expand(path)) {
      const source = file === '-' ? '<stdin>' : file;
      const text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
      for (const document of parseAllDocuments(text)) {
        if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0]!.message}`);
        found.push(...delegationsIn(document.toJS(), source));
      }
    }
  }
  return found;
}
