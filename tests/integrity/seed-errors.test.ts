// A seed value that does not fit its type is reported at its file, line and column, with the value and the type.
import { describe, expect, it } from 'vitest';
import { fixtureCopy } from '../helpers/project.js';
import { buildDir } from '../helpers/warehouse.js';

describe('seed errors', () => {
  it('name the line, the column, the value and the declared type', async () => {
    const dir = fixtureCopy('shop', {
      'seeds/raw_orders.csv': 'order_id,customer_id,order_date,amount_usd,status\n1,C1,2024-11-02,120.50,paid\n2,C2,2024-11-15,seventy,paid\n',
    });
    const results = await buildDir(dir, { select: ['raw_orders'] });
    const seed = results.find((r) => r.name === 'raw_orders');
    expect(seed?.status).toBe('error');
    expect(seed?.error).toMatchObject({
      code: 'seed.invalid',
      message: expect.stringMatching(/line 3, column amount_usd: "seventy" is not a NUMBER\(18,\s?2\)/),
      location: { file: 'seeds/raw_orders.csv', line: 3, column: 17 },
    });
  });
});
