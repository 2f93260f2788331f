import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CRD_FILE, renderCrdYaml } from '../api/crd-yaml.js';
import { flagUsage, parseFlags, type FlagSpec } from '../config/flags.js';
import type { CliCommand } from './command.js';

const FLAGS: readonly FlagSpec[] = [
  {
    flag: 'out',
    kind: 'string',
    placeholder: 'dir',
    help: `directory to write ${CRD_FILE} into; without it, print to stdout`,
  },
];

export const crdsCommand: CliCommand = {
  name: 'crds',
  summary: 'generate the CustomResourceDefinition YAML from the API schema',
  usage: [
    'Usage: ram-delegation crds [--out <dir>]',
    '',
    'Writes the CrossAccountDelegation CRD generated from the zod schema in src/api/.',
    ...flagUsage(FLAGS, 16),
  ].join('\n'),
  async run(args) {
    const out = parseFlags(args, FLAGS).get('out');
    const text = renderCrdYaml();
    if (out === undefined) {
      process.stdout.write(text);
      return 0;
    }
    await mkdir(out, { recursive: true });
    const path = join(out, CRD_FILE);
    await writeFile(path, text);
    console.log(`wrote ${path}`);
    return 0;
  },
};
