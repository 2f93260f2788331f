import { runDemo } from '../sandbox/demo.js';
import { parseOptions } from './arguments.js';
import type { CliCommand } from './command.js';

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'play the seed scenario end to end on a fresh sandbox and report each step',
  usage: [
    'Usage: ram-delegation demo [--json]',
    '',
    "Applies examples/eventbridge-publisher.yaml on a fresh sandbox, waits for Ready, lets B's user assume",
    "the role and publish to A's bus, deletes the delegation and checks that the credentials issued before",
    'are refused and nothing is left. Exits 0 only if every step held.',
    '  --json   print one JSON document instead of text',
  ].join('\n'),
  async run(args) {
    const values = parseOptions(args, { json: { type: 'boolean' } });
    const json = values.json === true;
    const report = await runDemo((step) => {
      if (!json) console.log(`${step.ok ? '✔' : '✘'} ${step.step.padEnd(9)} ${step.detail}`);
    });
    if (json) console.log(JSON.stringify(report, null, 2));
    else console.log(report.ok ? '\nevery step held' : '\nthe demo FAILED');
    return report.ok ? 0 : 1;
  },
};
