// The fault suite's quick subset inside `npm test`: scenarios 1 (workers SIGKILLed mid-send and mid-SLA), 5
// (submission storms) and 6 (answer races) at small sizes, on the real stack as separate processes.
import { copyOfTemplateDatabase } from '../support/database';
import { runFaults } from './run';
import { quickSizes } from './scenarios';

jest.setTimeout(20 * 60_000);

test('killed workers, submission storms and answer races: nothing lost, owned twice, emailed twice or left without a deadline', async () => {
  const lines: string[] = [];
  const report = await runFaults({
    only: [1, 5, 6],
    sizes: quickSizes,
    log: (line) => lines.push(line),
    // jest's PostgreSQL (none of these scenarios stops it); every other server is the suite's own process.
    migratedDatabaseUrl: await copyOfTemplateDatabase(),
  });
  const failures = report.rows.map((r) => ({
    scenario: r.id,
    lost: r.lost,
    doubleOwners: r.doubleOwners,
    duplicateEmails: r.duplicateEmails,
    missingEmails: r.missingEmails,
    withoutDeadline: r.withoutDeadline,
    failedRuns: r.failedRuns,
    defects: r.defects,
    details: r.details,
  }));
  expect(failures).toEqual(
    [1, 5, 6].map((scenario) => ({
      scenario,
      lost: 0,
      doubleOwners: 0,
      duplicateEmails: 0,
      missingEmails: 0,
      withoutDeadline: 0,
      failedRuns: 0,
      defects: [],
      details: [],
    })),
  );
  // Every scenario submitted what its size says, and the table's last line sums them.
  expect(report.rows.find((r) => r.id === 5)?.submitted).toBe(quickSizes.sameKey + quickSizes.samePerson);
  expect(report.finalLine).toMatch(
    /^faults: scenarios=3 submitted=\d+ lost=0 double_owners=0 duplicate_emails=0 without_deadline=0 failed_runs=0 hot_p99_ratio=NA rss_mb=NA$/,
  );
  expect(report.clean).toBe(true);
});
