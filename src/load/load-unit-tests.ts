// Load and check unit tests (tests/unit/**/*.yml): typed, located tests whose inputs are exactly what the model reads.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { Row } from '../project/rows.js';
import { error, type Diagnostic, type DiagnosticCode, type SourceLocation } from '../diagnostics/diagnostic.js';
import { compileSchema, validateYaml } from './json-schema.js';
import { unitTestFileSchema, type ExpectationSpec, type UnitTestFile, type UnitTestSpec } from './unit-test-schema.js';
import { parseYamlFile, type YamlFile } from './yaml-file.js';

const INVALID: DiagnosticCode = 'unit_test.invalid';

export type InputRef =
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'source'; readonly source: string; readonly table: string };

/** Rows written inline, or a CSV file (path relative to the project, and absolute for the engine). */
export type TableData =
  | { readonly kind: 'rows'; readonly rows: readonly Row[] }
  | { readonly kind: 'csv'; readonly path: string; readonly absolutePath: string };

export interface GivenInput {
  readonly input: InputRef;
  /** Canonical spelling, e.g. ref('orders') or source('legacy', 'customers'). */
  readonly label: string;
  readonly data: TableData;
  /** Column name to type, as written; wins over declared and inferred types. */
  readonly columns: Readonly<Record<string, string>>;
  readonly location: SourceLocation;
}

export interface Expectation {
  readonly data: TableData;
  readonly ordered: boolean;
  readonly location: SourceLocation;
}

export interface UnitTest {
  readonly name: string;
  readonly model: string;
  readonly description?: string;
  /** Relative to the project directory, forward slashes. */
  readonly file: string;
  readonly location: SourceLocation;
  readonly modelLocation: SourceLocation;
  readonly given: readonly GivenInput[];
  readonly this?: { readonly data: TableData; readonly location: SourceLocation };
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly expect: Expectation;
  readonly expectTable?: Expectation;
}

const validateFile = compileSchema<UnitTestFile>('unit-tests', unitTestFileSchema);

/** Reads every unit test file under `<testsDir>/unit`; bad input becomes diagnostics, never an exception. */
export async function loadUnitTests(rootDir: string, testsDir: string): Promise<{ tests: UnitTest[]; diagnostics: Diagnostic[] }> {
  const tests: UnitTest[] = [];
  const diagnostics: Diagnostic[] = [];
  const dir = `${testsDir.split(path.sep).join('/').replace(/\/+$/, '')}/unit`;
  if (!existsSync(path.join(rootDir, dir))) return { tests, diagnostics };
  const files = (await glob([`${dir}/**/*.yml`, `${dir}/**/*.yaml`], { cwd: rootDir, onlyFiles: true })).sort();
  const seen = new Map<string, UnitTest>();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(path.join(rootDir, file), 'utf8');
    } catch (e) {
      diagnostics.push(error('yaml.syntax', `cannot read unit test file: ${e instanceof Error ? e.message : String(e)}`, { location: at(file) }));
      continue;
    }
    const parsed = parseUnitTestFile(file, text, rootDir);
    diagnostics.push(...parsed.diagnostics);
    for (const test of parsed.tests) {
      const missingCsv = csvFiles(test).filter((c) => !existsSync(c.data.absolutePath));
      for (const c of missingCsv) diagnostics.push(error(INVALID, `CSV file ${c.data.path} does not exist`, { location: c.location, hint: 'CSV paths are relative to the YAML file' }));
      const first = seen.get(test.name);
      if (first) {
        diagnostics.push(error(INVALID, `two unit tests are named \`${test.name}\``, { location: test.location, hint: `the other is at ${first.location.file}:${first.location.line}` }));
        continue;
      }
      seen.set(test.name, test);
      if (!missingCsv.length) tests.push(test);
    }
  }
  return { tests, diagnostics };
}

/** One file's text to typed tests. `rootDir` only resolves CSV paths; nothing is read. */
export function parseUnitTestFile(file: string, text: string, rootDir: string): { tests: UnitTest[]; diagnostics: Diagnostic[] } {
  let yaml: YamlFile;
  try {
    yaml = parseYamlFile(file, text);
  } catch (e) {
    // The YAML library throws (rather than reports) on alias bombs and very deep nesting: bad input, not a bug.
    return { tests: [], diagnostics: [error('yaml.syntax', `invalid YAML: ${e instanceof Error ? e.message : String(e)}`, { location: at(file) })] };
  }
  const { value, diagnostics } = validateYaml(yaml, validateFile);
  if (!value) return { tests: [], diagnostics: withoutMisspeltRequired(diagnostics) };
  const problems: Diagnostic[] = [];
  const report = (where: Array<string | number>, message: string, extra: { keyOf?: string; hint?: string } = {}): void => {
    problems.push(error(INVALID, message, { location: yaml.locate(where, extra.keyOf), ...(extra.hint ? { hint: extra.hint } : {}) }));
  };
  const csvBase = path.resolve(rootDir, path.dirname(file));
  const tableData = (spec: { rows?: unknown[]; csv?: string }, where: Array<string | number>): TableData | undefined => {
    if (spec.rows !== undefined && spec.csv !== undefined) {
      report(where, 'give either `rows` or `csv`, not both', { keyOf: 'csv' });
    } else if (spec.csv !== undefined) {
      const absolutePath = path.resolve(csvBase, spec.csv);
      return { kind: 'csv', path: path.relative(rootDir, absolutePath).split(path.sep).join('/'), absolutePath };
    } else if (spec.rows !== undefined) {
      return { kind: 'rows', rows: spec.rows as Row[] };
    } else {
      report(where, 'expected `rows` (a list of mappings) or `csv` (a file), found neither');
    }
    return undefined;
  };
  const expectation = (spec: ExpectationSpec, base: Array<string | number>, key: string): Expectation | undefined => {
    const data = tableData(spec, [...base, key]);
    return data && { data, ordered: spec.ordered ?? false, location: yaml.locate(base, key) };
  };

  const tests: UnitTest[] = [];
  value.unit_tests.forEach((spec: UnitTestSpec, i) => {
    const base = ['unit_tests', i];
    const before = problems.length;
    const given = (spec.given ?? []).flatMap((g, j): GivenInput[] => {
      const where = [...base, 'given', j];
      const input = parseInputRef(g.input);
      if (!input) {
        report([...where, 'input'], `expected ref('name') or source('source_name', 'table'), found ${JSON.stringify(g.input)}`);
        return [];
      }
      const data = tableData(g, where);
      return data ? [{ input, label: inputLabel(input), data, columns: g.columns ?? {}, location: yaml.locate([...where, 'input']) }] : [];
    });
    const thisData = spec.this ? tableData(spec.this, [...base, 'this']) : undefined;
    const expect = expectation(spec.expect, base, 'expect');
    const expectTable = spec.expect_table ? expectation(spec.expect_table, base, 'expect_table') : undefined;
    if (problems.length > before || !expect) return;
    tests.push({
      name: spec.name,
      model: spec.model,
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      file,
      location: yaml.locate([...base, 'name']),
      modelLocation: yaml.locate([...base, 'model']),
      given,
      ...(thisData ? { this: { data: thisData, location: yaml.locate(base, 'this') } } : {}),
      ...(spec.vars ? { vars: spec.vars } : {}),
      expect,
      ...(expectTable ? { expectTable } : {}),
    });
  });
  return { tests, diagnostics: problems };
}

const REF = /^\s*ref\(\s*(['"])([^'"]+)\1\s*\)\s*$/;
const SOURCE = /^\s*source\(\s*(['"])([^'"]+)\1\s*,\s*(['"])([^'"]+)\3\s*\)\s*$/;

export function parseInputRef(text: string): InputRef | undefined {
  const ref = REF.exec(text);
  if (ref?.[2]) return { kind: 'ref', name: ref[2].trim() };
  const source = SOURCE.exec(text);
  if (source?.[2] && source[4]) return { kind: 'source', source: source[2].trim(), table: source[4].trim() };
  return undefined;
}

export function inputLabel(input: InputRef): string {
  return input.kind === 'ref' ? `ref('${input.name}')` : `source('${input.source}', '${input.table}')`;
}

/** `exepct:` is one mistake, not two: drop "missing `expect`" when an unknown key beside it is suggested as `expect`. */
function withoutMisspeltRequired(diagnostics: Diagnostic[]): Diagnostic[] {
  const suggested = new Set(
    diagnostics.flatMap((d) => {
      const where = /^(.*): unknown key `/.exec(d.message)?.[1];
      const names = [...(d.hint ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      return where === undefined || !d.hint?.startsWith('did you mean') ? [] : names.map((n) => `${where}: missing required key \`${n}\``);
    }),
  );
  return diagnostics.filter((d) => !suggested.has(d.message));
}

function csvFiles(test: UnitTest): Array<{ data: Extract<TableData, { kind: 'csv' }>; location: SourceLocation }> {
  const all = [
    ...test.given.map((g) => ({ data: g.data, location: g.location })),
    ...(test.this ? [test.this] : []),
    test.expect,
    ...(test.expectTable ? [test.expectTable] : []),
  ];
  return all.flatMap((x) => (x.data.kind === 'csv' ? [{ data: x.data, location: x.location }] : []));
}

function at(file: string): SourceLocation {
  return { file, line: 1, column: 1 };
}
