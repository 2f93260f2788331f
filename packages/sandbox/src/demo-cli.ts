#!/usr/bin/env node
/** `ram-delegation-demo [--json]`: the seed scenario on a fresh sandbox; exits 0 only if every step held. */
import { parseArgs } from 'node:util';
import { runDemo } from './demo.js';

const usage = [
  'Usage: ram-delegation-demo [--json]',
  '',
  "Applies examples/eventbridge-publisher.yaml on a fresh sandbox, waits for Ready, lets B's user assume",
  "the role and publish to A's bus, deletes the delegation and checks that the credentials issued before",
  'are refused (a permission or token error) and nothing is left. Exits 0 only if every step held.',
  '  --json   print one JSON document instead of text',
].join('\n');

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return 0;
  }
  let json: boolean;
  try {
    json = parseArgs({ args, strict: true, options: { json: { type: 'boolean', default: false } } }).values
      .json;
  } catch (error) {
    console.error(`ram-delegation-demo: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const report = await runDemo((step) => {
    if (!json) console.log(`${step.ok ? '✔' : '✘'} ${step.step.padEnd(9)} ${step.detail}`);
  });
  if (json) console.log(JSON.stringify(report, null, 2));
  else console.log(report.ok ? '\nevery step held' : '\nthe demo FAILED');
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
