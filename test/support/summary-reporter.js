// Ends the run with the plain "N passed, N failed" line that CI reads. Written at process exit so it is the
// last line, after jest's own summary (stdout to a pipe, file or terminal is synchronous on Linux). A test
// skipped for want of something on the machine (Chromium) names the reason; it is listed just above, so a
// skip is never silent. Runs narrowed with -t skip every other test: those are not listed.
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.narrowed = Boolean(globalConfig.testNamePattern);
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    // A suite that failed to load ran no tests but is still a failure.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    const skips = this.narrowed
      ? []
      : results.testResults.flatMap((file) =>
          file.testResults
            .filter((t) => t.status === 'pending' || t.status === 'todo')
            .map((t) => `skipped: ${t.fullName} (${path.relative(this.rootDir, file.testFilePath)})`),
        );
    process.once('exit', () => process.stdout.write(`\n${[...skips, line].join('\n')}\n`));
  }
}
module.exports = SummaryReporter;
