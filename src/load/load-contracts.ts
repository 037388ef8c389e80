// Load stage for data contracts: reads contracts/**/*.yml, validates them, and types their SLOs; never throws on bad input.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { error, type Diagnostic, type DiagnosticCode, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { compileSchema, validateYaml } from './json-schema.js';
import {
  CONTRACT_PATTERN_MEANINGS,
  contractSchema,
  type ColumnTest,
  type Contract,
  type ContractColumn,
  type ModelTest,
  type PolicyTest,
} from './contract-schema.js';
import { parseQualitySlo, type LocatedSlo, type SloProblem } from './parse-slo.js';
import { parseRetention, type Retention } from './parse-retention.js';
import { locateIn, parseYamlFile, type PositionTable, type YamlFile } from './yaml-file.js';
import { isNumericType, parseSnowflakeType, snowflakeTypeName, SNOWFLAKE_TYPE_NAMES } from '../project/snowflake-types.js';
import { memoize } from '../project/memo.js';

/** Codes this module reports. */
export const CONTRACT_CODES = {
  invalid: 'contract.invalid',
  sloInvalid: 'contract.slo_invalid',
  yaml: 'yaml.syntax',
} as const satisfies Record<string, DiagnosticCode>;

export type YamlPath = ReadonlyArray<string | number>;

/** One model a contract governs, with everything the later stages need about it. */
export interface GovernedModel {
  readonly name: string;
  /** Where the model is named: ['model'] or ['models', i, 'name']. */
  readonly namePath: YamlPath;
  /** Where its columns and tests live: [] for a single-model contract, ['models', i] in a product. */
  readonly base: YamlPath;
  readonly description?: string;
  readonly columns: readonly ContractColumn[];
  readonly tests: readonly ModelTest[];
  /** What roles must see of it, checked through their views on the local target. */
  readonly policyTests: readonly PolicyTest[];
  /** Model-level, column-level and (for the primary model) product-level SLOs, typed. */
  readonly slos: readonly LocatedSlo[];
  /** Per layer, how long its rows may be kept: the product's retention_policy, with the model's own entries over it. */
  readonly retention: readonly Retention[];
  /**
   * `name` is a table name from `interfaces.tables` (`[database.]schema.table`) rather than a model name: the
   * model is the one whose relation it names.
   */
  readonly byRelation?: true;
  /** false when the columns document and test the model but are not its enforced shape (a dbt property file's default). */
  readonly enforced?: boolean;
}

export interface LoadedContract {
  /** Relative to the project directory, with forward slashes. */
  readonly file: string;
  readonly contract: Contract;
  readonly models: readonly GovernedModel[];
  /** Product-level SLOs of a contract that names no model: they cannot run, and checkContracts says so. */
  readonly unassignedSlos: readonly LocatedSlo[];
  /** Where each node of the file starts: read with `locate(contract, path, keyOf?)`. */
  readonly positions: PositionTable;
  /** Read from a dbt property file (a schema.yml under models/): tests and docs, merged under a charter contract of the model. */
  readonly fromProperties?: true;
}

/** Whether a build checks the model's columns against these: declared, and not a property file's documentation. */
export const enforcesColumns = (governed: GovernedModel): boolean => governed.columns.length > 0 && governed.enforced !== false;
/** The same for a model that may have no contract: then nothing is enforced. */
export const enforcesColumnsOf = (governed: GovernedModel | undefined): boolean => governed !== undefined && enforcesColumns(governed);

/** Where the node at `path` starts; with `keyOf`, where that key of the mapping at `path` is written. */
export function locate(contract: Pick<LoadedContract, 'file' | 'positions'>, path: YamlPath, keyOf?: string): SourceLocation {
  return locateIn(contract.file, contract.positions, path, keyOf);
}

const validateContract = compileSchema<Contract>('contract', contractSchema);

export async function loadContracts(
  rootDir: string,
  contractsDir: string,
): Promise<{ contracts: LoadedContract[]; diagnostics: Diagnostic[] }> {
  const contracts: LoadedContract[] = [];
  const diagnostics: Diagnostic[] = [];
  if (!existsSync(path.join(rootDir, contractsDir))) return { contracts, diagnostics };
  const dir = contractsDir.split(path.sep).join('/').replace(/\/+$/, '');
  const files = (await glob([`${dir}/**/*.yml`, `${dir}/**/*.yaml`], { cwd: rootDir, onlyFiles: true })).sort();
  const texts = await Promise.all(
    files.map(async (file) => {
      try {
        return { file, text: await readFile(path.join(rootDir, file), 'utf8') };
      } catch (e) {
        return { file, failure: e instanceof Error ? e.message : String(e) };
      }
    }),
  );
  for (const entry of texts) {
    if (entry.text === undefined) {
      diagnostics.push(error(CONTRACT_CODES.yaml, `cannot read contract: ${entry.failure ?? 'unknown error'}`, { location: { file: entry.file, line: 1, column: 1 } }));
      continue;
    }
    const result = parseContract(entry.file, entry.text);
    if (result.contract) contracts.push(result.contract);
    diagnostics.push(...result.diagnostics);
  }
  return { contracts, diagnostics };
}

/** One contract file's text to a typed contract, or the reasons it is not one. Pure, so a text is parsed once. */
export const parseContract: (file: string, text: string) => { readonly contract?: LoadedContract; readonly diagnostics: readonly Diagnostic[] } = memoize(
  parseContractText,
  (file, text) => `${file}\0${text}`,
  500,
);

function parseContractText(file: string, text: string): { contract?: LoadedContract; diagnostics: Diagnostic[] } {
  let yaml: YamlFile;
  try {
    yaml = parseYamlFile(file, text);
  } catch (e) {
    // The YAML library throws (rather than reports) on alias bombs and very deep nesting; that is bad input, not a bug.
    const reason = e instanceof RangeError && /call stack/i.test(e.message) ? 'nested too deeply to read' : e instanceof Error ? e.message : String(e);
    return { diagnostics: [error(CONTRACT_CODES.yaml, `invalid YAML: ${reason}`, { location: { file, line: 1, column: 1 } })] };
  }
  const { value, diagnostics } = validateYaml(yaml, validateContract);
  if (!value) return { diagnostics: capped(pruneUnionNoise(diagnostics).map(explainSchemaMessage), file) };
  const problems: Diagnostic[] = [];
  const report = (at: YamlPath, message: string, extra: { hint?: string; keyOf?: string } = {}): void => {
    problems.push(error(CONTRACT_CODES.invalid, `${pointer(at)}: ${message}`, {
      location: yaml.locate(at, extra.keyOf),
      ...(extra.hint ? { hint: extra.hint } : {}),
    }));
  };
  const reportSlo = (p: SloProblem): void => {
    problems.push(error(CONTRACT_CODES.sloInvalid, `${pointer(p.path)}: expected ${p.expected}, found ${p.found}`, { location: yaml.locate(p.path) }));
  };

  const models = governedModels(value, report, reportSlo);
  const product = value.quality_slo ? parseQualitySlo(value.quality_slo, ['quality_slo']) : { slos: [], problems: [] };
  product.problems.forEach(reportSlo);
  const primary = models[0];
  const withProduct = primary ? [{ ...primary, slos: [...product.slos, ...primary.slos] }, ...models.slice(1)] : models;
  const typed = withProduct.map((m) => ({ ...m, slos: m.slos.map((s) => inferDriftMethod(s, m.columns)) }));

  const contract: LoadedContract = {
    file,
    contract: value,
    models: typed,
    unassignedSlos: primary ? [] : product.slos,
    positions: yaml.positions(),
  };
  return { contract, diagnostics: capped(problems, file) };
}

type Report = (at: YamlPath, message: string, extra?: { hint?: string; keyOf?: string }) => void;

function governedModels(c: Contract, report: Report, reportSlo: (p: SloProblem) => void): GovernedModel[] {
  if (c.model !== undefined && c.models !== undefined) {
    report([], 'use either `model` (a contract for one model) or `models` (a data product), not both', { keyOf: 'models' });
  }
  // A product contract shaped like the platform's orders_core names its table under interfaces.tables instead.
  const tables = c.model === undefined && c.models === undefined ? (c.interfaces?.tables ?? []) : [];
  if (c.model === undefined && tables.length !== 1) {
    for (const key of ['columns', 'tests', 'policy_tests'] as const) {
      if (c[key] === undefined) continue;
      report([], `top-level \`${key}\` describe the contract's \`model\`, but it names none`, {
        keyOf: key,
        hint: c.models ? `move \`${key}\` under an entry of \`models\`` : tables.length ? 'name one table under interfaces.tables, or add `model: <model name>`' : 'add `model: <model name>`',
      });
    }
  }
  const top = { base: [], description: undefined, columns: c.columns ?? [], tests: c.tests ?? [], policyTests: c.policy_tests ?? [], slo: undefined };
  const entries =
    c.model !== undefined
      ? [{ name: c.model, namePath: ['model'], ...top }]
      : tables.length
        ? tables.map((table, i) => ({ name: table, namePath: ['interfaces', 'tables', i], ...(i === 0 ? top : { ...top, columns: [], tests: [], policyTests: [] }), byRelation: true as const }))
        : (c.models ?? []).map((m, i) => ({
          name: m.name,
          namePath: ['models', i, 'name'],
          base: ['models', i],
          description: m.description,
          columns: m.columns ?? [],
          tests: m.tests ?? [],
          policyTests: m.policy_tests ?? [],
          slo: m.quality_slo,
          ownRetention: m.retention_policy,
        }));
  const seenModels = new Map<string, number>();
  // A product's retention entry is read with each of its models: say what is wrong with it once.
  const retentionProblems = new Set<string>();
  return entries.map((entry, index) => {
    const first = seenModels.get(entry.name.toLowerCase());
    if (first !== undefined) report(entry.namePath, `model \`${entry.name}\` is listed twice in this contract (first as entry ${first + 1})`);
    else seenModels.set(entry.name.toLowerCase(), index);

    checkColumns(entry.columns, entry.base, report);
    entry.tests.forEach((t, i) => checkModelTest(t, [...entry.base, 'tests', i], report));
    const slos: LocatedSlo[] = [];
    const take = (r: { slos: LocatedSlo[]; problems: SloProblem[] }): void => {
      slos.push(...r.slos);
      r.problems.forEach(reportSlo);
    };
    if (entry.slo) take(parseQualitySlo(entry.slo, [...entry.base, 'quality_slo']));
    entry.columns.forEach((col, i) => {
      if (col.quality_slo) take(parseQualitySlo(col.quality_slo, [...entry.base, 'columns', i, 'quality_slo'], col.name));
    });
    const own = 'ownRetention' in entry ? { policy: entry.ownRetention, at: [...entry.base, 'retention_policy'] } : undefined;
    const { retention, problems } = parseRetention({ policy: c.retention_policy, at: ['retention_policy'] }, own);
    for (const p of problems) {
      const key = `${p.path.join('/')}\0${p.message}`;
      if (retentionProblems.has(key)) continue;
      retentionProblems.add(key);
      report(p.path, p.message, p.hint ? { hint: p.hint } : {});
    }
    return {
      name: entry.name,
      namePath: entry.namePath,
      base: entry.base,
      ...(entry.description !== undefined ? { description: entry.description } : {}),
      columns: entry.columns,
      tests: entry.tests,
      policyTests: entry.policyTests,
      slos,
      retention,
      ...('byRelation' in entry ? { byRelation: true as const } : {}),
    };
  });
}

function checkColumns(columns: readonly ContractColumn[], base: YamlPath, report: Report): void {
  const seen = new Set<string>();
  columns.forEach((col, i) => {
    const at = [...base, 'columns', i];
    if (seen.has(col.name.toLowerCase())) report([...at, 'name'], `column \`${col.name}\` is declared twice`);
    seen.add(col.name.toLowerCase());
    if (col.data_type !== undefined) {
      const typeName = snowflakeTypeName(col.data_type);
      if (!parseSnowflakeType(col.data_type)) {
        report([...at, 'data_type'], `expected a Snowflake data type, found \`${col.data_type}\``, {
          hint: didYouMean(typeName, SNOWFLAKE_TYPE_NAMES) ?? 'e.g. NUMBER(18,2), VARCHAR, DATE, TIMESTAMP_NTZ, BOOLEAN',
        });
      }
    }
    const range = col.constraints?.range;
    if (range) checkBounds(range, [...at, 'constraints', 'range'], report);
    (col.tests ?? []).forEach((t: ColumnTest, j) => {
      if (t.range) checkBounds(t.range, [...at, 'tests', j, 'range'], report);
    });
  });
}

function checkModelTest(test: ModelTest, at: YamlPath, report: Report): void {
  if (test.row_count) checkBounds(test.row_count, [...at, 'row_count'], report);
}

function checkBounds(bounds: { min?: number; max?: number }, at: YamlPath, report: Report): void {
  if (bounds.min === undefined && bounds.max === undefined) report(at, 'expected at least one of `min` and `max`, found neither');
  else if (bounds.min !== undefined && bounds.max !== undefined && bounds.min > bounds.max) {
    report([...at, 'min'], `expected \`min\` no larger than \`max\` (${bounds.max}), found ${bounds.min}`);
  }
}

/** A drift SLO that does not say numeric or categorical follows the column's declared type; numeric when unknown. */
function inferDriftMethod(located: LocatedSlo, columns: readonly ContractColumn[]): LocatedSlo {
  const slo = located.slo;
  if (slo.kind !== 'drift' || slo.method) return located;
  const declared = columns.find((c) => c.name.toLowerCase() === slo.column.toLowerCase())?.data_type;
  const method = declared === undefined || isNumericType(declared) ? 'numeric' : 'categorical';
  return { ...located, slo: { ...slo, method } };
}

// ajv speaks in regexes and property counts; say what the contract format means instead.
function explainSchemaMessage(d: Diagnostic): Diagnostic {
  for (const [regex, meaning] of Object.entries(CONTRACT_PATTERN_MEANINGS)) {
    const spelled = `: must match pattern "${regex}"`;
    const at = d.message.indexOf(spelled);
    if (at >= 0) return { ...d, message: `${d.message.slice(0, at)}: expected ${meaning}${d.message.slice(at + spelled.length)}` };
  }
  const count = /^(.*?): must NOT have (more|fewer) than 1 properties(, found .*)?$/s.exec(d.message);
  if (count) {
    const found = count[2] === 'more' ? 'several keys' : 'an empty mapping';
    return { ...d, message: `${count[1]}: expected exactly one key per list item (e.g. \`- not_null: {}\`), found ${found}` };
  }
  return d;
}

/** Past this many errors a file is not a contract with typos; the rest would bury the first ones. */
export const MAX_ERRORS_PER_FILE = 50;

function capped(diagnostics: Diagnostic[], file: string): Diagnostic[] {
  if (diagnostics.length <= MAX_ERRORS_PER_FILE) return diagnostics;
  const rest = diagnostics.length - MAX_ERRORS_PER_FILE;
  const last = diagnostics[MAX_ERRORS_PER_FILE - 1]?.location ?? { file, line: 1, column: 1 };
  return [
    ...diagnostics.slice(0, MAX_ERRORS_PER_FILE),
    error(CONTRACT_CODES.invalid, `${rest} more problem${rest === 1 ? '' : 's'} in this file not shown`, { location: last }),
  ];
}

const TYPE_ERROR = /^(\S*): must be (\w+), found (.*)$/s;

/**
 * A value that may be a string or a mapping (`freshness: "<=36h"` or `freshness: {...}`) fails every branch, and ajv
 * reports each one. Keep the errors of the branch the value took, or merge the type errors into one.
 */
function pruneUnionNoise(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const typeErrors = new Map<string, { first: Diagnostic; types: string[]; found: string }>();
  // Every place with a non-type error, and its ancestors: a type error there is a union branch not taken.
  const ancestors = new Set<string>();
  for (const d of diagnostics) {
    if (TYPE_ERROR.test(d.message)) continue;
    const parts = d.message.slice(0, d.message.indexOf(':')).split('/');
    // The place itself too: a pattern (or required key) error there means the value has the other branch's type.
    for (let n = 1; n <= parts.length; n++) ancestors.add(parts.slice(0, n).join('/') || '/');
  }
  const out: Diagnostic[] = [];
  diagnostics.forEach((d) => {
    const m = TYPE_ERROR.exec(d.message);
    if (!m) return out.push(d);
    const where = m[1] ?? '';
    if (ancestors.has(where)) return;
    const seen = typeErrors.get(where);
    if (seen) seen.types.push(m[2] ?? '');
    else {
      const entry = { first: d, types: [m[2] ?? ''], found: m[3] ?? '' };
      typeErrors.set(where, entry);
      out.push(d);
    }
  });
  return out.map((d) => {
    const m = TYPE_ERROR.exec(d.message);
    const merged = m ? typeErrors.get(m[1] ?? '') : undefined;
    if (!merged || merged.first !== d || merged.types.length < 2) return d;
    return { ...d, message: `${m?.[1]}: must be ${merged.types.join(' or ')}, found ${merged.found}` };
  });
}

function pointer(at: YamlPath): string {
  return at.length ? `/${at.join('/')}` : '/';
}
