#!/usr/bin/env node
import { commandLoaders, commandSummaries } from './cli/registry.js';
import { ConfigError } from './config/flags.js';

function help(): string {
  const width = Math.max(...Object.keys(commandSummaries).map((n) => n.length));
  const lines = Object.entries(commandSummaries).map(
    ([name, summary]) => `  ${name.padEnd(width)}  ${summary}`,
  );
  return [
    'Usage: ram-delegation <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `ram-delegation <command> --help` for the options of one command.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  const load = commandLoaders[name];
  if (!load) {
    console.error(`ram-delegation: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`ram-delegation ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
