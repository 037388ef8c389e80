// The last line and run_results.json count everything that decides the exit code, SLOs included.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { charter, fixtureCopy } from '../helpers/project.js';

describe('the run summary', () => {
  it('counts a failed SLO, and says which, when it fails the run', async () => {
    const base = fixtureCopy('shop');
    const yaml = readFileSync(path.join(base, 'contracts/orders.yml'), 'utf8');
    const planted = yaml.replace('  volume: {min: 1, max: 1000}', '  volume: {min: 1000000}');
    expect(planted).not.toBe(yaml);
    const dir = fixtureCopy('shop', { 'contracts/orders.yml': planted });
    const out = await charter(['build'], dir);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/tests: \d+ pass, 0 warn, 0 fail, 0 error; SLOs: \d+ pass, 0 warn, 1 fail, 0 error\.\n/);
    expect(out.stdout).toContain('error[test.failed]: SLO volume on orders: measured 4 rows, threshold >= 1000000');
    const results = JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8'));
    expect(results.summary.slos).toMatchObject({ fail: 1, error: 0 });
  });
});
