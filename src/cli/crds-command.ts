import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CRD_FILE, renderCrdYaml } from '../api/crd-yaml.js';
import { parseOptions } from './arguments.js';
import type { CliCommand } from './command.js';

export const crdsCommand: CliCommand = {
  name: 'crds',
  summary: 'generate the CustomResourceDefinition YAML from the API schema',
  usage: [
    'Usage: ram-delegation crds [--out <dir>]',
    '',
    'Writes the CrossAccountDelegation CRD generated from the zod schema in src/api/.',
    '  --out <dir>   directory to write ' + CRD_FILE + ' into; without it, print to stdout',
  ].join('\n'),
  async run(args) {
    const values = parseOptions(args, { out: { type: 'string' } });
    const text = renderCrdYaml();
    if (values.out === undefined) {
      process.stdout.write(text);
      return 0;
    }
    await mkdir(values.out, { recursive: true });
    const path = join(values.out, CRD_FILE);
    await writeFile(path, text);
    console.log(`wrote ${path}`);
    return 0;
  },
};
