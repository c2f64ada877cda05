// `npm run faults`: the fault suite on the real stack as separate processes (README, "Fault suite").
// `npm run faults -- --only 1,5,6 --quick` runs some scenarios at the quick test's sizes.
import { parseArgs } from 'node:util';
import { runFaults, table } from '../test/faults/run';
import { fullSizes, quickSizes, scenarios, type Sizes } from '../test/faults/scenarios';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    // e.g. --sizes importLeads=2000,smtpOutageMs=60000 for a shorter run of the same scenarios.
    sizes: { type: 'string' },
    'run-dir': { type: 'string' },
  },
});
const only = values.only ? values.only.split(',').map(Number) : scenarios.map((s) => s.id);
const unknown = only.filter((id) => !scenarios.some((s) => s.id === id));
if (unknown.length > 0) {
  console.error(`--only: no scenario ${unknown.join(', ')} (there are 1 to ${scenarios.length})`);
  process.exit(2);
}
const sizes: Sizes = { ...(values.quick ? quickSizes : fullSizes) };
for (const pair of values.sizes ? values.sizes.split(',') : []) {
  const [name, value] = pair.split('=');
  if (!name || !(name in sizes) || !value || !Number.isInteger(Number(value))) {
    console.error(`--sizes: ${pair} is not <name>=<integer> with a name of ${Object.keys(sizes).join(', ')}`);
    process.exit(2);
  }
  sizes[name as keyof Sizes] = Number(value);
}
const started = Date.now();
const log = (line: string) => console.log(`[faults +${Math.round((Date.now() - started) / 1000)}s] ${line}`);

runFaults({ only, sizes, log, ...(values['run-dir'] ? { runDir: values['run-dir'] } : {}) })
  .then((report) => {
    console.log(`\n${table(report.rows)}\n`);
    console.log(`duration ${((Date.now() - started) / 60_000).toFixed(1)} min`);
    console.log(report.finalLine);
    process.exit(report.clean ? 0 : 1);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
