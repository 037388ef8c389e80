import { defineConfig } from 'vitest/config';
import type { Reporter, TestModule } from 'vitest/node';

/** Ends the run with a plain "tests: N passed, N failed, N skipped" line that CI systems read in any language. */
const summaryLine: Reporter = {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const count = (state: 'passed' | 'failed' | 'skipped'): number =>
      testModules.reduce((n, m) => n + [...m.children.allTests(state)].length, 0);
    process.stdout.write(`\ntests: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped\n`);
  },
};

// Files that replace modules with vi.mock need a module cache of their own.
const MOCKING = ['tests/hardening/disk-faults.test.ts'];
// The end-to-end tier: `npm test` runs it only with CHARTER_TESTS=all, as CI (.ci/run) does; `npm run test:e2e`
// runs it alone. It is the slow half of the suite, each file a whole flow:
const END_TO_END = [
  // the showcase warehouse built whole (rolled forward, refreshed, rebuilt with late rows; with planted violations;
  // through snowflake-sdk) and every seed question asked of it;
  'tests/showcase/warehouse.test.ts', 'tests/showcase/contracts.test.ts', 'tests/snowflake/showcase-on-snowflake.test.ts',
  'tests/showcase/seed-questions-ask.test.ts',
  // plan/apply, policy replacement, semantic views and Cortex Analyst driven through snowflake-sdk against the
  // loopback server (the driver, the adapter and the loopback itself stay in `npm test`);
  'tests/snowflake/deploy-on-snowflake.test.ts', 'tests/plan-apply/policy-changes.test.ts', 'tests/snowflake/semantic-views-on-snowflake.test.ts',
  'tests/semantic/ask-cortex.test.ts',
  // real charter processes killed or interrupted part way (`npm test` keeps the CLI's own process tests).
  'tests/faults/kill-build.test.ts', 'tests/plan-apply/kill-apply.test.ts', 'tests/faults/interrupt-build.test.ts',
  // the evidence report in headless Chromium, and the governance in force read back through snowflake-sdk.
  'tests/evidence/report-in-browser.test.ts', 'tests/docs/docs-in-browser.test.ts', 'tests/snowflake/governance-in-force.test.ts',
  // charter diff against HEAD~1 on the showcase in a scratch git repository (two showcase compiles per diff).
  'tests/diff/showcase-diff.test.ts',
  // the showcase linted and format-checked whole (the SQL parsers' first load alone takes seconds).
  'tests/lint/showcase-lint.test.ts',
  // `charter ci` on a scratch git repository holding the whole showcase (issue 15's "done when"), and on a Snowflake
  // target through snowflake-sdk against the loopback server (a database per pull request, cloned and dropped).
  'tests/ci/gate-showcase.test.ts', 'tests/ci/gate-snowflake.test.ts',
  // charter init's "next:" command, run as printed by a shell (real processes).
  'tests/cli/init-next.test.ts',
  // the gate on a scratch git repository of the tiny fixture, and the docs site generated and served (their pure
  // parts, formatters, selection, page renderers, stay in `npm test`).
  'tests/ci/gate-tiny.test.ts', 'tests/docs/docs-generate.test.ts',
];
const WITH_END_TO_END = ['all', 'e2e'].includes(process.env['CHARTER_TESTS'] ?? '');

export default defineConfig({
  test: {
    globalSetup: ['tests/temp-root.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time even on two cores: much of a test's time is spent waiting on DuckDB and the file system.
    maxWorkers: 2,
    // As bin/charter.js does: keep the SQL transpiler's WebAssembly off V8's optimising tier (seconds per process).
    execArgv: ['--no-wasm-dynamic-tiering', '--no-wasm-tier-up', '--max-semi-space-size=32'],
    // Two test files run at once on two cores: DuckDB threads on top of them would only contend (a sixth of the
    // suite's time, measured). Child charter processes inherit it.
    env: { CHARTER_DUCKDB_THREADS: '1' },
    reporters: ['default', summaryLine],
    projects: [
      // Test files share their worker's module cache: charter, DuckDB and the transpiler load once per worker, not
      // once per file (that alone took a fifth of the suite). Every test works in its own temporary project.
      { extends: true, test: { name: 'shared', include: ['tests/**/*.test.ts'], exclude: [...MOCKING, ...END_TO_END], isolate: false } },
      { extends: true, test: { name: 'isolated', include: MOCKING, isolate: true } },
      ...(WITH_END_TO_END ? [{ extends: true, test: { name: 'e2e', include: END_TO_END, isolate: false } }] : []),
    ],
  },
});
