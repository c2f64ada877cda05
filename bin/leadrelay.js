#!/usr/bin/env node
// `npx leadrelay <command>`: the operator's command line. Commands are TypeScript, run through tsx.
'use strict';
const path = require('node:path');
const commands = {
  classify: 'classify.ts',
  simulate: 'simulate.ts',
  evaluate: 'evaluate.ts',
  'simulate-learning': 'simulate-learning.ts',
  keys: 'keys.ts',
  outcomes: 'outcomes.ts',
  shadow: 'shadow.ts',
};
const [command, ...args] = process.argv.slice(2);
if (!command || !(command in commands)) {
  process.stderr.write(`usage: leadrelay <${Object.keys(commands).join('|')}> [options]\n`);
  process.exit(command ? 2 : 0);
}
require('tsx/cjs');
const { main } = require(path.join(__dirname, '..', 'cli', commands[command]));
main(args).then(
  (code) => {
    process.exitCode = code ?? 0;
  },
  (error) => {
    process.stderr.write(`leadrelay ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
