// What counts as a change to a deploy: each node's checksums, compared across vars and targets on the tiny fixture,
// and the pure diff of a project against a deployed state (cascades, governance-only changes, moves, drops, breaks).
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/pipeline/compile.js';
import { contractBreaks } from '../../src/plan/contract-breaks.js';
import type { NodeContract, NodeDeployment, StateRow } from '../../src/plan/deployed-state.js';
import { currentState, stateFingerprint } from '../../src/plan/deployed-state.js';
import { diffDeployment, type DiffInput } from '../../src/plan/deploy-diff.js';
import { desiredState } from '../../src/plan/desired-state.js';
import { decideLock } from '../../src/execute/deploy-lock.js';
import { fixtureCopy } from '../helpers/project.js';

async function checksums(dir: string, options: { target?: string; vars?: Record<string, unknown> } = {}): Promise<Record<string, string>> {
  const session = await compile({ projectDir: dir, format: false, ...options });
  return Object.fromEntries(desiredState(session.compiled, session.contracts.byModel).map((d) => [d.node, `${d.dataChecksum}/${d.metadataChecksum}`]));
}

describe('a node\'s checksum', () => {
  it('changes with a var for exactly the models that read it, and not at all with the target', async () => {
    const dir = fixtureCopy('tiny');
    const dev = await checksums(dir);
    expect(Object.keys(dev)).toEqual(['seed.tiny.raw_orders', 'model.tiny.orders_landed', 'model.tiny.orders', 'model.tiny.big_orders', 'model.tiny.customer_totals']);

    const raised = await checksums(dir, { vars: { min_amount: 50 } });
    expect(Object.keys(dev).filter((id) => dev[id] !== raised[id])).toEqual(['model.tiny.orders']);

    // Another DuckDB file (another catalog) and Snowflake (upper-case names): the same checksums throughout.
    expect(await checksums(dir, { target: 'staging' })).toEqual(dev);
    expect(await checksums(dir, { target: 'prod' })).toEqual(dev);
  });
});

// ---- the pure diff -----------------------------------------------------------------------------------------------

const contract = (columns: NodeContract['columns']): NodeContract => ({ name: 'c', version: '1.0.0', columns });

function node(name: string, materialized: NodeDeployment['materialized'], data = `${name}-v1`, extra: Partial<NodeDeployment> = {}): NodeDeployment {
  return {
    node: `model.p.${name}`,
    kind: materialized === 'seed' ? 'seed' : 'model',
    materialized,
    relation: { schema: 'S', identifier: name },
    relationName: `"db"."S"."${name}"`,
    dataChecksum: data,
    metadataChecksum: 'm1',
    contract: null,
    ...extra,
  };
}

const row = (d: NodeDeployment, seq = 1): StateRow => ({ ...d, seq, action: 'deploy', appliedAt: '2025-01-01T00:00:00.000Z', appliedBy: 'me', runId: 'r1', gitCommit: null });

// a (table) -> v (view) -> t (table);  a -> w (view, leaf)
const children = new Map([
  ['model.p.a', ['model.p.v', 'model.p.w']],
  ['model.p.v', ['model.p.t']],
]);
const deployed = [node('a', 'table'), node('v', 'view'), node('w', 'view'), node('t', 'table')];
const input = (desired: NodeDeployment[], extra: Partial<DiffInput> = {}): DiffInput => ({
  desired,
  deployed: deployed.map((d) => row(d)),
  children,
  considerDrops: true,
  allowDrop: false,
  ...extra,
});
const summary = (diff: ReturnType<typeof diffDeployment>) => diff.changes.map((c) => `${c.kind} ${c.name}: ${c.reasons.join('; ')}`);

describe('the diff of a project against its deployed state', () => {
  it('rebuilds the tables downstream of a rebuilt table, through views, and leaves the views to rebind', () => {
    const diff = diffDeployment(input([node('a', 'table', 'a-v2'), node('v', 'view'), node('w', 'view'), node('t', 'table')]));
    expect(summary(diff)).toEqual(['replace a: SQL changed', 'replace t: upstream a rebuilt']);
    expect(diff.unchanged).toBe(2);
  });

  it('re-applies governance for a change of contract alone, and flags what it breaks', () => {
    const old = contract([{ name: 'id', dataType: 'NUMBER(18,0)' }, { name: 'email', dataType: 'VARCHAR', classification: 'pii', maskingPolicy: 'GOV.MASK' }, { name: 'gone', dataType: 'DATE' }]);
    const next = contract([{ name: 'id', dataType: 'NUMBER(18,2)' }, { name: 'email', dataType: 'VARCHAR', classification: 'internal' }]);
    const diff = diffDeployment({
      ...input([node('a', 'table', 'a-v1', { metadataChecksum: 'm2', contract: next }), node('v', 'view'), node('w', 'view'), node('t', 'table')]),
      deployed: [row(node('a', 'table', 'a-v1', { contract: old })), ...deployed.slice(1).map((d) => row(d))],
    });
    expect(summary(diff)).toEqual(['governance a: re-apply governance: contract or tags changed, data unchanged']);
    expect(diff.changes[0]?.breaking).toEqual([
      'column id retyped NUMBER(18,0) -> NUMBER(18,2)',
      'column email classification weakened pii -> internal',
      'column email masking policy GOV.MASK removed',
      'column gone removed',
    ]);
  });

  it('treats a relation the warehouse lost as a replace, and a moved one as a replace that breaks', () => {
    const lost = diffDeployment(input([node('a', 'table', 'a-v1', { metadataChecksum: 'm2' }), ...deployed.slice(1)], { missing: new Set(['model.p.a']) }));
    expect(summary(lost)).toEqual(['replace a: contract or tags changed; relation missing from the warehouse', 'replace t: upstream a rebuilt']);
    const moved = diffDeployment(input([node('a', 'table', 'a-v1', { relation: { schema: 'GOLD', identifier: 'a' }, relationName: '"db"."GOLD"."a"' }), ...deployed.slice(1)]));
    expect(moved.changes[0]).toMatchObject({ kind: 'replace', breaking: ['relation moved from "db"."S"."a"'], dropPrevious: false, previous: { relation: { schema: 'S', identifier: 'a' } } });
  });

  it('withholds drops without --allow-drop, drops views first with it, and plans none under a selection', () => {
    const desired = [node('a', 'table')];
    expect(diffDeployment(input(desired)).withheld.map((c) => c.name)).toEqual(['v', 'w', 't']);
    expect(summary(diffDeployment(input(desired, { allowDrop: true })))).toEqual(['drop v: no longer in the project', 'drop w: no longer in the project', 'drop t: no longer in the project']);
    expect(diffDeployment(input(desired, { considerDrops: false, allowDrop: true })).changes).toEqual([]);
  });

  it('creates what the state lacks, and reads a node\'s state from its latest row', () => {
    const rows = [row(node('a', 'table'), 1), { ...row(node('a', 'table', 'a-v2'), 2) }, { ...row(node('v', 'view'), 3), action: 'drop' as const }];
    const current = currentState(rows);
    expect(current.map((r) => `${r.node} ${r.dataChecksum}`)).toEqual(['model.p.a a-v2']);
    expect(stateFingerprint(current)).not.toBe(stateFingerprint(currentState(rows.slice(0, 1))));
    const diff = diffDeployment({ ...input([node('a', 'table', 'a-v2'), node('v', 'view')]), deployed: current });
    expect(summary(diff)).toEqual(['create v: not deployed yet']);
  });

  it('has no breaks without a deployed contract, and one when the contract goes', () => {
    expect(contractBreaks(null, contract([]))).toEqual([]);
    expect(contractBreaks(contract([{ name: 'x' }]), null)).toEqual(['contract c removed']);
    expect(contractBreaks(contract([{ name: 'x', classification: 'pii' }]), contract([{ name: 'X', classification: 'phi' }]))).toEqual([]);
  });
});

describe('an alter: an incremental model whose contract only adds nullable columns', () => {
  const v1 = contract([{ name: 'id', dataType: 'NUMBER(18,0)' }, { name: 'amount', dataType: 'NUMBER(18,2)' }]);
  const deployedInc = node('inc', 'incremental', 'inc-v1', { contract: v1 });
  // inc (incremental) -> t (table)
  const incInput = (next: NodeDeployment, extra: Partial<DiffInput> = {}): DiffInput => ({
    desired: [next, node('t', 'table')],
    deployed: [row(deployedInc), row(node('t', 'table'))],
    children: new Map([['model.p.inc', ['model.p.t']]]),
    considerDrops: true,
    allowDrop: false,
    alterable: new Set(['model.p.inc']),
    ...extra,
  });
  const changed = (columns: NodeContract['columns'], data = 'inc-v2') => node('inc', 'incremental', data, { metadataChecksum: 'm2', contract: contract(columns) });
  const withScore = changed([...v1.columns, { name: 'score', dataType: 'NUMBER(5,2)' }]);

  it('is an alter, whatever else the SQL changed, with its new columns; the table downstream is rebuilt', () => {
    const diff = diffDeployment(incInput(withScore));
    expect(summary(diff)).toEqual([
      'alter inc: adds nullable column score: existing rows keep NULL; pass --full-refresh to rebuild instead',
      'replace t: upstream inc altered',
    ]);
    expect(diff.changes[0]).toMatchObject({ breaking: [], added: [{ name: 'score', dataType: 'NUMBER(5,2)' }], deployment: withScore });
    // A kept column's governance weakened is flagged as breaking, and does not stop the alter.
    const weakened = diffDeployment(incInput(changed([{ name: 'ID', dataType: 'NUMBER(18,0)', classification: 'public' }, { name: 'amount', dataType: 'NUMBER(18,2)' }, { name: 'a', dataType: 'VARCHAR' }, { name: 'b', dataType: 'DATE' }]), {
      deployed: [row(node('inc', 'incremental', 'inc-v1', { contract: contract([{ name: 'id', dataType: 'NUMBER(18,0)', classification: 'confidential' }, { name: 'amount', dataType: 'NUMBER(18,2)' }]) })), row(node('t', 'table'))],
    }));
    expect(weakened.changes[0]).toMatchObject({
      kind: 'alter',
      reasons: ['adds nullable columns a, b: existing rows keep NULL; pass --full-refresh to rebuild instead'],
      breaking: ['column id classification weakened confidential -> public'],
    });
  });

  it('is a replace where the caller does not allow it (--full-refresh, no table in the warehouse), or the relation is lost', () => {
    expect(summary(diffDeployment(incInput(withScore, { alterable: new Set() })))[0]).toBe('replace inc: SQL changed; contract or tags changed');
    expect(summary(diffDeployment(incInput(withScore, { missing: new Set(['model.p.inc']) })))[0]).toBe('replace inc: SQL changed; contract or tags changed; relation missing from the warehouse');
  });

  it('is a replace, breaking, when a column is removed or retyped; a replace when a new column is not_null, untyped, or the model had no contract', () => {
    const removed = diffDeployment(incInput(changed([{ name: 'id', dataType: 'NUMBER(18,0)' }, { name: 'score', dataType: 'NUMBER(5,2)' }])));
    expect(removed.changes[0]).toMatchObject({ kind: 'replace', breaking: ['column amount removed'] });
    const retyped = diffDeployment(incInput(changed([{ name: 'id', dataType: 'NUMBER(18,0)' }, { name: 'amount', dataType: 'NUMBER(18,4)' }, { name: 'score', dataType: 'NUMBER(5,2)' }])));
    expect(retyped.changes[0]).toMatchObject({ kind: 'replace', breaking: ['column amount retyped NUMBER(18,2) -> NUMBER(18,4)'] });
    for (const score of [{ name: 'score', dataType: 'NUMBER(5,2)', notNull: true as const }, { name: 'score' }]) {
      expect(diffDeployment(incInput(changed([...v1.columns, score]))).changes[0]?.kind).toBe('replace');
    }
    const uncontracted = { ...incInput(withScore), deployed: [row(node('inc', 'incremental')), row(node('t', 'table'))] };
    expect(diffDeployment(uncontracted).changes[0]?.kind).toBe('replace');
    // Only a SQL change, no column added: the rows were computed by the old SQL.
    expect(diffDeployment(incInput(node('inc', 'incremental', 'inc-v2', { contract: v1 }))).changes[0]?.kind).toBe('replace');
  });
});

describe('deciding the deploy lock', () => {
  const claim = (runId: string, owner: string, acquiredAt: string, expiresAt: string) => ({ name: 'apply', owner, runId, acquiredAt, expiresAt });
  const now = new Date('2025-01-01T00:05:00Z');
  const gone = (owner: string) => owner.endsWith(':999');

  it('is won only when no other live claim is there; expired and dead owners do not count', () => {
    const mine = claim('me', 'u@h:1', '2025-01-01T00:05:00Z', '2025-01-01T00:15:00Z');
    const expired = claim('old', 'u@other:5', '2025-01-01T00:00:00Z', '2025-01-01T00:04:00Z');
    const dead = claim('dead', 'u@h:999', '2025-01-01T00:01:00Z', '2025-01-01T00:11:00Z');
    const live = claim('live', 'u@other:7', '2025-01-01T00:02:00Z', '2025-01-01T00:12:00Z');
    expect(decideLock([mine, expired, dead], 'me', now, gone)).toEqual({ won: true, stale: [expired, dead] });
    expect(decideLock([mine, expired, live, dead], 'me', now, gone)).toEqual({ won: false, holder: live });
    // Two applies that both inserted before either read: each sees the other, and neither takes the lock.
    const racer = claim('racer', 'u@other:8', '2025-01-01T00:05:00Z', '2025-01-01T00:15:00Z');
    expect(decideLock([mine, racer], 'me', now, gone).won).toBe(false);
    expect(decideLock([mine, racer], 'racer', now, gone).won).toBe(false);
  });
});
