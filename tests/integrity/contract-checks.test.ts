// Contract problems that would only surface at run time are compile errors, with file and line.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/pipeline/compile.js';
import { UserError } from '../../src/diagnostics/diagnostic.js';
import { fixtureCopy } from '../helpers/project.js';

async function compileDiagnostics(files: Record<string, string>): Promise<readonly { code: string; severity: string; location?: { file: string; line: number } }[]> {
  try {
    const session = await compile({ projectDir: fixtureCopy('shop', files), format: false });
    return session.warnings;
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics;
    throw e;
  }
}

describe('contract checks at compile', () => {
  it('an SLO on a column the contract does not declare is an error, located at the SLO', async () => {
    const ds = await compileDiagnostics({
      'contracts/customers.yml': 'name: c\nmodel: customers\ncolumns:\n  - name: customer_id\nquality_slo:\n  completeness: "null_rate(custmer_id) <= 1%"\n',
    });
    expect(ds).toContainEqual(expect.objectContaining({ code: 'contract.column_unknown', severity: 'error', location: expect.objectContaining({ file: 'contracts/customers.yml', line: 6 }) }));
  });
});
