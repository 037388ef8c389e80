// Node ids are built and read back by one module.
import { describe, expect, it } from 'vitest';
import { modelId, nameOfId, parseNodeId, seedId, sloId, sourceId, testId, unitTestId } from '../../src/project/node-id.js';

describe('node ids', () => {
  it('build and parse back', () => {
    expect(modelId('shop', 'orders')).toBe('model.shop.orders');
    expect(parseNodeId(seedId('shop', 'raw_orders'))).toEqual({ kind: 'seed', project: 'shop', name: 'raw_orders', parts: ['raw_orders'] });
    expect(parseNodeId(sourceId('shop', 'legacy', 'customers'))).toMatchObject({ kind: 'source', name: 'legacy.customers' });
    expect(testId('shop', 'orders', 'order_id', 'not_null')).toBe('test.shop.orders.order_id.not_null');
    expect(unitTestId('shop', 'orders', 'rounds')).toBe('unit_test.shop.orders.rounds');
    expect(sloId('model.shop.orders', 'drift', 'amount_usd')).toBe('slo.shop.orders.amount_usd.drift');
    expect(sloId('model.shop.orders', 'volume')).toBe('slo.shop.orders.volume');
    expect(nameOfId('model.shop.orders')).toBe('orders');
  });
});
