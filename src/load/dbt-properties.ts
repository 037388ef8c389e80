// dbt property files (models/**/schema.yml, `models:`): their tests and docs as a contract-like value the contract
// machinery renders, with the column list not enforced unless the file says `contract: {enforced: true}`. Pure.
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { CONTRACT_PATTERN_MEANINGS, contractSchema, type ColumnTest, type Contract, type ContractColumn, type ModelTest } from './contract-schema.js';
import { compileSchema, validateYaml } from './json-schema.js';
import type { GovernedModel, LoadedContract } from './load-contracts.js';
import { locateIn, positionKey, type PositionTable, type YamlFile } from './yaml-file.js';

type Path = ReadonlyArray<string | number>;
type Raw = Record<string, unknown>;

const warning: typeof error = (...args) => ({ ...error(...args), severity: 'warning' });
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const validateContract = compileSchema<Contract>('contract', contractSchema);

/** Keys of a model entry that carry over, and those dbt has that charter has no use for (a warning each). */
const MODEL_KEYS = new Set(['name', 'description', 'columns', 'data_tests', 'tests', 'config', 'contract']);
const COLUMN_KEYS = new Set(['name', 'description', 'data_type', 'data_tests', 'tests', 'constraints', 'tags']);
const TEST_CONFIG_KEYS = new Set(['severity', 'where', 'error_if', 'warn_if', 'enabled']);
/** Configs a dbt test may carry that mean nothing to charter's runner. */
const TEST_CONFIG_IGNORED = new Set(['tags', 'limit', 'fail_calc', 'store_failures', 'store_failures_as', 'meta', 'database', 'schema', 'alias']);

export interface PropertyModels {
  /** The file's `models:` as a contract of several models, or undefined when it has none. */
  readonly contract?: LoadedContract;
  readonly diagnostics: readonly Diagnostic[];
}

/** A property file's `models:` to a contract-like value; `value` is the parsed file. */
export function propertyFileModels(yaml: YamlFile): PropertyModels {
  const value = yaml.value;
  if (!isObject(value) || value.models === undefined) return { diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const at = (p: Path, keyOf?: string) => yaml.locate(p, keyOf);
  const unsupported = (p: Path, what: string, hint?: string, keyOf?: string): void => {
    diagnostics.push(warning('dbt.unsupported', `${what} has no charter meaning and is ignored`, { location: at(p, keyOf), ...(hint ? { hint } : {}) }));
  };
  const invalid = (p: Path, message: string, keyOf?: string): void => {
    diagnostics.push(error('dbt.invalid', message, { location: at(p, keyOf) }));
  };
  if (!Array.isArray(value.models)) {
    invalid(['models'], '`models:` must be a list of models');
    return { diagnostics };
  }
  // Synthetic test paths (…/tests/<n>) point at the entry the file wrote (…/data_tests/<m>).
  const moved = new Map<string, readonly [Path, string | undefined]>();
  const models: Array<{ name: string; description?: string; columns: ContractColumn[]; tests: ModelTest[]; enforced: boolean }> = [];
  value.models.forEach((m: unknown, i) => {
    const base = ['models', i];
    if (!isObject(m) || typeof m.name !== 'string') return invalid(base, 'a model entry needs a `name`');
    for (const key of Object.keys(m)) if (!MODEL_KEYS.has(key)) unsupported(base, `\`${key}\` on model \`${m.name}\``, undefined, key);
    const config = isObject(m.config) ? m.config : {};
    for (const key of Object.keys(config)) {
      if (key !== 'contract') unsupported([...base, 'config'], `config \`${key}\` in a property file`, key === 'materialized' || key === 'schema' || key === 'tags' ? 'set it in project.yml `models:` or in the model\'s config()' : undefined, key);
    }
    const contractSetting = isObject(config.contract) ? config.contract : isObject(m.contract) ? m.contract : undefined;
    const enforced = contractSetting?.enforced === true;
    const columns: ContractColumn[] = [];
    (Array.isArray(m.columns) ? m.columns : []).forEach((c: unknown, k) => {
      const cat = [...base, 'columns', k];
      if (!isObject(c) || typeof c.name !== 'string') return invalid(cat, 'a column entry needs a `name`');
      for (const key of Object.keys(c)) if (!COLUMN_KEYS.has(key)) unsupported(cat, `\`${key}\` on column \`${c.name}\``, undefined, key);
      const tests: ColumnTest[] = [];
      testEntries(c, cat, invalid).forEach(({ entry, path: tp, key }) => {
        const test = columnTest(entry, tp, c.name as string, { unsupported, invalid });
        if (!test) return;
        moved.set(positionKey([...cat, 'tests', tests.length]), [tp, undefined]);
        moved.set(positionKey([...cat, 'tests', tests.length], Object.keys(test)[0]), [tp, typeof entry === 'string' ? undefined : key]);
        tests.push(test);
      });
      const constraints = columnConstraints(c.constraints, [...cat, 'constraints'], unsupported);
      if (constraints && Object.keys(constraints).length) {
        for (const kind of Object.keys(constraints)) moved.set(positionKey([...cat, 'constraints'], kind), [[...cat, 'constraints'], undefined]);
      }
      if (enforced && typeof c.data_type !== 'string') invalid(cat, `model \`${m.name}\` has contract enforced, so column \`${c.name}\` needs a data_type`);
      columns.push({
        name: c.name,
        ...(typeof c.description === 'string' ? { description: c.description } : {}),
        ...(typeof c.data_type === 'string' ? { data_type: c.data_type } : {}),
        ...(Array.isArray(c.tags) ? { tags: c.tags.map(String) } : {}),
        ...(constraints && Object.keys(constraints).length ? { constraints } : {}),
        ...(tests.length ? { tests } : {}),
      });
    });
    const tests: ModelTest[] = [];
    testEntries(m, base, invalid).forEach(({ entry, path: tp, key }) => {
      const test = modelTest(entry, tp, { unsupported, invalid });
      if (!test) return;
      moved.set(positionKey([...base, 'tests', tests.length]), [tp, undefined]);
      moved.set(positionKey([...base, 'tests', tests.length], Object.keys(test)[0]), [tp, typeof entry === 'string' ? undefined : key]);
      tests.push(test);
    });
    models.push({ name: m.name, ...(typeof m.description === 'string' ? { description: m.description } : {}), columns, tests, enforced });
  });

  const positions = remap(yaml.positions(), moved);
  const contract: Contract = {
    name: yaml.file,
    models: models.map((m) => ({ name: m.name, ...(m.description ? { description: m.description } : {}), columns: m.columns, tests: m.tests })),
  };
  // The converted entries are checked as any contract is, with errors pointing into the property file.
  const checked = validateYaml({ ...yaml, value: contract, diagnostics: [], locate: (p, k) => locateIn(yaml.file, positions, p, k) }, validateContract);
  diagnostics.push(...checked.diagnostics.map(explain));
  if (!checked.value) return { diagnostics };
  const governed: GovernedModel[] = models.map((m, i) => ({
    name: m.name,
    namePath: ['models', i, 'name'],
    base: ['models', i],
    ...(m.description ? { description: m.description } : {}),
    columns: m.columns,
    tests: m.tests,
    policyTests: [],
    slos: [],
    retention: [],
    enforced: m.enforced,
  }));
  return { contract: { file: yaml.file, contract, models: governed, unassignedSlos: [], positions, fromProperties: true }, diagnostics };
}

/** A schema message in the property file's terms: no synthetic path, no regex. */
function explain(d: Diagnostic): Diagnostic {
  let message = d.message.replace(/^\S*\/tests\/\d+\//, 'test ');
  for (const [regex, meaning] of Object.entries(CONTRACT_PATTERN_MEANINGS)) message = message.replace(`must match pattern "${regex}"`, `expected ${meaning}`);
  return { ...d, message };
}

function remap(table: PositionTable, moved: ReadonlyMap<string, readonly [Path, string | undefined]>): PositionTable {
  // A file that writes `tests:` has real nodes under the synthetic paths: drop them, or a skipped entry would shift
  // an error onto its neighbour.
  const lists = new Set([...moved.keys()].filter((k) => k.includes('/tests/')).map((k) => k.slice(0, k.lastIndexOf('/tests/') + '/tests/'.length)));
  const out: Record<string, readonly [number, number]> = Object.fromEntries(
    Object.entries(table).filter(([key]) => ![...lists].some((list) => key.startsWith(list))),
  );
  for (const [synthetic, [real, keyOf]] of moved) {
    const found = table[positionKey(real, keyOf)] ?? table[positionKey(real)];
    if (found) out[synthetic] = found;
  }
  return out;
}

interface Reporters {
  unsupported(p: Path, what: string, hint?: string, keyOf?: string): void;
  invalid(p: Path, message: string, keyOf?: string): void;
}

/** The entries of a node's `data_tests:` (or `tests:`, its older alias; both on one node is dbt's parse error too). */
function testEntries(node: Raw, base: Path, invalid: Reporters['invalid']): Array<{ entry: unknown; path: Path; key: string | undefined }> {
  if (node.data_tests !== undefined && node.tests !== undefined) {
    invalid(base, "cannot have both 'tests' and 'data_tests' defined", 'tests');
    return [];
  }
  const key = node.data_tests !== undefined ? 'data_tests' : 'tests';
  const list = node[key];
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    invalid([...base, key], `\`${key}\` must be a list`);
    return [];
  }
  return list.map((entry: unknown, j) => ({ entry, path: [...base, key, j], key: typeNameOf(entry) }));
}

function typeNameOf(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (!isObject(entry)) return undefined;
  if (typeof entry.test_name === 'string') return 'test_name';
  return Object.keys(entry)[0];
}

interface ParsedTest {
  readonly kind: string;
  readonly args: Raw;
  readonly options: { name?: string; severity?: 'error' | 'warn'; where?: string; error_if?: string; warn_if?: string };
}

/** dbt's three entry forms (bare name, `{test: {...}}`, flat `{test_name: x, ...}`); undefined when not runnable. */
function parseTest(entry: unknown, p: Path, r: Reporters): ParsedTest | undefined {
  let kind: string;
  let body: Raw;
  let keyOf: string | undefined;
  if (typeof entry === 'string') {
    kind = entry;
    body = {};
  } else if (isObject(entry) && typeof entry.test_name === 'string') {
    const { test_name, ...rest } = entry;
    kind = test_name;
    body = rest;
    keyOf = 'test_name';
  } else if (isObject(entry) && Object.keys(entry).length === 1) {
    kind = Object.keys(entry)[0] ?? '';
    const inner = entry[kind];
    body = isObject(inner) ? inner : {};
    keyOf = kind;
    if (!isObject(inner) && inner !== null) r.invalid(p, `the arguments of test \`${kind}\` must be a mapping`, kind);
  } else {
    r.invalid(p, 'a test is a name (`- unique`) or a mapping with one key (`- accepted_values: {...}`)');
    return undefined;
  }
  const where = keyOf && keyOf !== 'test_name' ? [...p, keyOf] : p;
  const config = isObject(body.config) ? body.config : {};
  const args: Raw = isObject(body.arguments) ? { ...body.arguments } : {};
  const options: { -readonly [K in keyof ParsedTest['options']]: ParsedTest['options'][K] } = {};
  const take = (key: string, v: unknown, at: Path): boolean | undefined => {
    if (key === 'enabled') return v !== false;
    if (key === 'severity' && typeof v === 'string') options.severity = v.toLowerCase() === 'warn' ? 'warn' : 'error';
    else if ((key === 'where' || key === 'error_if' || key === 'warn_if') && typeof v === 'string') options[key] = v;
    else if (TEST_CONFIG_IGNORED.has(key)) r.unsupported(at, `test config \`${key}\``, undefined, key);
    else return undefined;
    return true;
  };
  let enabled = true;
  for (const [key, v] of Object.entries(config)) {
    const took = take(key, v, [...where, 'config']);
    if (key === 'enabled') enabled = took !== false;
    else if (took === undefined) r.unsupported([...where, 'config'], `test config \`${key}\``, undefined, key);
  }
  for (const [key, v] of Object.entries(body)) {
    if (key === 'config' || key === 'arguments') continue;
    if (key === 'name' && typeof v === 'string') options.name = v;
    else if (key === 'description') continue;
    else if (TEST_CONFIG_KEYS.has(key) || TEST_CONFIG_IGNORED.has(key)) {
      const took = take(key, v, where);
      if (key === 'enabled') enabled = took !== false;
    } else args[key] = v;
  }
  if (!enabled) return undefined;
  return { kind, args, options };
}

const bounds = (args: Raw): { min?: number; max?: number; inclusive?: boolean } => ({
  ...(typeof args.min_value === 'number' ? { min: args.min_value } : {}),
  ...(typeof args.max_value === 'number' ? { max: args.max_value } : {}),
  ...(typeof args.inclusive === 'boolean' ? { inclusive: args.inclusive } : {}),
});

function columnTest(entry: unknown, p: Path, column: string, r: Reporters): ColumnTest | undefined {
  const t = parseTest(entry, p, r);
  if (!t) return undefined;
  const { kind, args, options } = t;
  const named = `test \`${kind}\``;
  switch (kind) {
    case 'not_null':
    case 'unique':
      return { [kind]: options } as ColumnTest;
    case 'accepted_values': {
      if (args.quote !== undefined && typeof args.quote !== 'boolean') r.invalid(p, 'accepted_values: `quote` must be true or false');
      return { accepted_values: { ...options, values: args.values as string[], ...(typeof args.quote === 'boolean' ? { quote: args.quote } : {}) } };
    }
    case 'relationships': {
      const to = relationTarget(args.to);
      if (to === undefined) {
        r.unsupported(p, `relationships to \`${String(args.to)}\``, "charter's relationships test points at a model or seed: write to: ref('name')");
        return undefined;
      }
      return { relationships: { ...options, to, field: args.field as string } };
    }
    case 'dbt_utils.accepted_range':
      return { range: { ...options, ...bounds(args) } };
    case 'dbt_utils.expression_is_true':
      // dbt_utils appends the expression to the column: `expression: '>= 0'`.
      return { expression: { ...options, sql: `${column} ${String(args.expression)}` } };
    default:
      r.unsupported(p, named, 'charter runs not_null, unique, accepted_values, relationships, dbt_utils.accepted_range and dbt_utils.expression_is_true; write others as a singular test (tests/*.sql) or a contract `expression` test');
      return undefined;
  }
}

function modelTest(entry: unknown, p: Path, r: Reporters): ModelTest | undefined {
  const t = parseTest(entry, p, r);
  if (!t) return undefined;
  const { kind, args, options } = t;
  switch (kind) {
    case 'dbt_utils.unique_combination_of_columns':
      return { unique_combination: { ...options, columns: args.combination_of_columns as string[] } };
    case 'dbt_utils.expression_is_true':
      return { expression: { ...options, sql: String(args.expression) } };
    default:
      r.unsupported(p, `model test \`${kind}\``, 'charter runs dbt_utils.unique_combination_of_columns and dbt_utils.expression_is_true on a model; write others as a singular test (tests/*.sql)');
      return undefined;
  }
}

/** `ref('x')`, `ref("x")` or a bare name; a source() or anything else is not a model charter can join to here. */
export function relationTarget(to: unknown): string | undefined {
  if (typeof to !== 'string') return undefined;
  const ref = /^\s*(?:\{\{\s*)?ref\(\s*['"]([A-Za-z_][A-Za-z0-9_$]*)['"]\s*\)(?:\s*\}\})?\s*$/.exec(to);
  if (ref) return ref[1];
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(to.trim()) ? to.trim() : undefined;
}

/** dbt's column constraints (`- type: not_null`) as charter's; check, foreign_key and custom are reported. */
function columnConstraints(raw: unknown, p: Path, unsupported: Reporters['unsupported']): ContractColumn['constraints'] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: Record<string, boolean> = {};
  raw.forEach((c: unknown, i) => {
    const type = isObject(c) ? c.type : undefined;
    if (type === 'not_null' || type === 'unique' || type === 'primary_key') out[type] = true;
    else unsupported([...p, i], `constraint \`${String(type)}\``, 'charter runs not_null, unique and primary_key constraints as tests');
  });
  return out;
}
