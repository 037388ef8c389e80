import { it } from 'vitest';
import { StatementLog } from '../../src/execute/statement-runner.js';
import { UnitTestRunner } from '../../src/execute/run-unit-test.js';
import { loadUnitTests } from '../../src/load/load-unit-tests.js';
import { compileDir, fixtureCopy } from '../helpers/project.js';
import { CUSTOMER_REVENUE_YML, CUSTOMERS_CSV, ORDER_FACTS_YML } from './shop-unit-tests.js';
it('profile', async () => {
  const dir = fixtureCopy('shop', { 'tests/unit/a.yml': CUSTOMER_REVENUE_YML, 'tests/unit/fixtures/customers.csv': CUSTOMERS_CSV, 'tests/unit/b.yml': ORDER_FACTS_YML });
  const project = await compileDir(dir);
  const { tests } = await loadUnitTests(dir, 'tests');
  const log = new StatementLog();
  const runner = new UnitTestRunner(project, { log });
  let t = performance.now();
  await runner.open();
  console.log('open', performance.now() - t);
  for (let k = 0; k < 4; k++) for (const test of [tests[0]!, tests[2]!]) {
    log.records.length = 0;
    t = performance.now();
    const r = await runner.run(test);
    console.log(test.name, r.status, (performance.now() - t).toFixed(1), log.records.map((x) => `${x.ms.toFixed(1)} ${x.sql.slice(0, 50).replace(/\n/g, ' ')}`).join('\n   '));
  }
  await runner.close();
});
