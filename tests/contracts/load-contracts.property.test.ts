import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { dialectFor } from '../../src/adapters/dialects.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { contractSchema } from '../../src/load/contract-schema.js';
import { loadContracts, parseContract, type LoadedContract } from '../../src/load/load-contracts.js';
import { renderContractTests } from '../../src/render/render-contract-tests.js';
import { checkContracts } from '../../src/validate/check-contracts.js';
import { writeFiles } from '../helpers/project.js';
import { fakeProject, modelNode, ordersCoreText } from './helpers.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

const FILE = 'contracts/fuzzed.yml';
/**
 * Each run draws new inputs (fast-check seeds from the clock), so the cases add up over CI runs (about 160 a run,
 * kept small for the suite's time); for a long hunt at a desk, CHARTER_FUZZ_RUNS=10 runs ten times as many.
 */
const runs = (n: number): number => n * Math.max(1, Number(process.env['CHARTER_FUZZ_RUNS'] ?? 1) || 1);
const VALID_CONTRACTS: Json[] = [
  parse(ordersCoreText()) as Json,
  parse(`name: commerce
version: 2.0.0
models:
  - name: dim_orders
    columns:
      - {name: order_id, data_type: NUMBER, constraints: {primary_key: true}, tests: [{unique: {severity: warn}}]}
      - {name: amount, data_type: NUMBER(18,2), quality_slo: {completeness: "<= 1%", drift: {kind: numeric}}}
    tests: [{row_count: {min: 1, max: 100}}, {expression: {sql: "amount >= 0", where: "amount is not null"}}]
  - name: dim_customers
    columns: [{name: segment, data_type: VARCHAR(20), constraints: {accepted_values: {values: [a, b], quote: true}}}]
    quality_slo: {freshness: {column: segment, max_age: 7d}, volume: {max_change_pct: 20}}
`) as Json,
  { name: 'minimal' },
];

/** Every key the schema knows, so mutations can misspell real ones. */
const KNOWN_KEYS = [...new Set(collectKeys(contractSchema))];

// ---- mutations -----------------------------------------------------------------------------------

const typo = (key: string, at: number, kind: number): string => {
  const i = at % Math.max(key.length, 1);
  if (kind === 0) return key.slice(0, i) + key.slice(i + 1);
  if (kind === 1) return key.slice(0, i) + 'x' + key.slice(i);
  return key.slice(0, i) + (key[i + 1] ?? '') + (key[i] ?? '') + key.slice(i + 2);
};

const nested = (depth: number, leaf: Json, asList: boolean): Json => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asList ? [value] : { deeper: value };
  return value;
};

const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, '', ' ', '<=', 'null_rate(', '>=0.1 for x', '36 hours', '1.2', [], {}, [[]], { '': null }),
  fc.integer().map((n): Json => n),
  fc.double({ noNaN: true }).map((n): Json => n),
  fc.constantFrom<Json>(Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 9e15, 1e300),
  fc.string({ maxLength: 30 }).map((s): Json => s),
  fc.integer({ min: 1_000, max: 60_000 }).map((n): Json => 'x'.repeat(n)),
  fc.integer({ min: 100, max: 3_000 }).map((n): Json => Array.from({ length: n }, (_, i) => i)),
  fc.tuple(fc.integer({ min: 20, max: 300 }), fc.boolean()).map(([d, list]): Json => nested(d, 'leaf', list)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => v as Json),
);

type Mutation =
  | { op: 'set'; at: number; value: Json }
  | { op: 'delete'; at: number }
  | { op: 'unknownKey'; at: number; key: string; value: Json }
  | { op: 'renameKey'; at: number; keyAt: number; kind: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: wrongValue }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('unknownKey' as const),
    at: fc.nat(),
    key: fc.oneof(fc.string({ maxLength: 12 }), fc.tuple(fc.constantFrom(...KNOWN_KEYS), fc.nat(), fc.nat(2)).map(([k, i, t]) => typo(k, i, t))),
    value: wrongValue,
  }),
  fc.record({ op: fc.constant('renameKey' as const), at: fc.nat(), keyAt: fc.nat(), kind: fc.nat(2) }),
);

function containers(value: Json, at: Path = [], out: Path[] = []): Path[] {
  if (value !== null && typeof value === 'object' && out.length < 2_000) {
    out.push(at);
    const entries: Array<[string | number, Json]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [k, v] of entries.slice(0, 50)) containers(v, [...at, k], out);
  }
  return out;
}

function apply(root: Json, m: Mutation): Json {
  const all = containers(root);
  const target = all[m.at % all.length] ?? [];
  if (target.length === 0 && (m.op === 'set' || m.op === 'delete')) return m.op === 'set' ? m.value : null;
  const parentPath = m.op === 'set' || m.op === 'delete' ? target.slice(0, -1) : target;
  let node: Json = root;
  for (const k of parentPath) node = (node as Record<string | number, Json>)[k] as Json;
  if (node === null || typeof node !== 'object') return root;
  const last = target[target.length - 1] as string | number;
  const map = node as Record<string | number, Json>;
  switch (m.op) {
    case 'set':
      map[last] = m.value;
      break;
    case 'delete':
      if (Array.isArray(node)) node.splice(Number(last), 1);
      else delete map[last];
      break;
    case 'unknownKey':
      if (Array.isArray(node)) node.push({ [m.key]: m.value });
      else map[m.key] = m.value;
      break;
    case 'renameKey': {
      if (Array.isArray(node)) break;
      const keys = Object.keys(node);
      const key = keys[m.keyAt % Math.max(keys.length, 1)];
      if (key === undefined) break;
      map[typo(key, m.keyAt, m.kind)] = map[key] as Json;
      delete map[key];
    }
  }
  return root;
}

const mutatedContract: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...VALID_CONTRACTS.map((c) => JSON.stringify(c))), fc.array(mutation, { minLength: 1, maxLength: 5 }), fc.boolean())
  .map(([base, mutations, flow]) => {
    const value = mutations.reduce<Json>((v, m) => apply(v, m), JSON.parse(base) as Json);
    return stringify(value, { flowCollectionPadding: false, ...(flow ? { collectionStyle: 'flow' as const } : {}) });
  });

// ---- garbage YAML --------------------------------------------------------------------------------

const fixture = ordersCoreText();
const garbageYaml: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.tuple(fc.nat(fixture.length), fc.nat(fixture.length)).map(([a, b]) => fixture.slice(Math.min(a, b), Math.max(a, b))),
  fc.tuple(fc.nat(fixture.length), fc.constantFrom('\t', ':', '- ', '{', '[', '"', "'", '&a ', '*a', '!!binary ', '!tag ', '<<: ', '\n---\n', '%YAML 1.1\n', '\u0000', '#'))
    .map(([at, insert]) => fixture.slice(0, at) + insert + fixture.slice(at)),
  fc.integer({ min: 100, max: 5_000 }).map((d) => `name: deep\ncost: {tags: ${'['.repeat(d)}${']'.repeat(d)}}`),
  fc.integer({ min: 100, max: 1_000 }).map((d) => `name: deep\nlineage:\n${Array.from({ length: d }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} end`),
  fc.integer({ min: 3, max: 12 }).map((levels) => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    return `${lines.join('\n')}\nname: *a${levels - 1}\n`;
  }),
  fc.constantFrom('', '~', '---', '--- !!str', 'name: [unclosed', 'name: "x"\nname: "y"', 'name: *missing', '? [a]\n: b', 'name: x\n...\nmore: y'),
);

// ---- the property --------------------------------------------------------------------------------

function expectLocated(diagnostics: readonly Diagnostic[], file: string, lines: number): void {
  const unlocated = diagnostics.filter((d) => {
    const l = d.location;
    return !d.message || !l || l.file !== file || l.line < 1 || l.line > lines + 1 || l.column < 1;
  });
  expect(unlocated).toEqual([]);
}

/** The stages after loading must take whatever the loader accepted without throwing either. */
function downstream(contract: LoadedContract, file: string, lines: number): void {
  const names = contract.models.map((m) => m.name);
  const project = fakeProject({ models: [...new Set([...names, 'stg_orders'])], seeds: ['raw_orders'] });
  expectLocated(checkContracts([contract], project), file, lines);
  for (const name of new Set(names)) {
    for (const test of renderContractTests(contract, modelNode(project, name), project, dialectFor('snowflake'))) {
      expect(test.sql).toMatch(/^-- charter contract test /);
      expect(test.location.file).toBe(file);
    }
  }
}

function checkText(text: string): void {
  const lines = text.split('\n').length;
  const { contract, diagnostics } = parseContract(FILE, text);
  expectLocated(diagnostics, FILE, lines);
  if (contract) downstream(contract, FILE, lines);
  else expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
}

describe('the contract loader under random input', () => {
  it('never throws on mutated valid contracts, and locates every diagnostic', () => {
    fc.assert(fc.property(mutatedContract, checkText), { numRuns: runs(100) });
  });

  it('never throws on garbage YAML, and locates every diagnostic', () => {
    fc.assert(fc.property(garbageYaml, checkText), { numRuns: runs(50) });
  });

  it('loads many bad files from disk in one run, reporting each with its own file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(mutatedContract, garbageYaml), { minLength: 1, maxLength: 6 }), async (texts) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'charter-fuzz-'));
        const files = Object.fromEntries(texts.map((t, i) => [`contracts/c${i}.yml`, t]));
        writeFiles(dir, files);
        const { contracts, diagnostics } = await loadContracts(dir, 'contracts');
        for (const d of diagnostics) expect(Object.keys(files)).toContain(d.location?.file);
        const failed = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.location?.file));
        for (const c of contracts) failed.add(c.file);
        expect(failed.size).toBe(texts.length);
      }),
      { numRuns: runs(8) },
    );
  });
});

function collectKeys(schema: unknown): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const own = 'properties' in schema && schema.properties && typeof schema.properties === 'object' ? Object.keys(schema.properties) : [];
  return [...own, ...Object.values(schema).flatMap(collectKeys)];
}
