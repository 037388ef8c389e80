// Cross-checks unit tests against the compiled project: the model exists, and the test gives exactly what it reads.
import type { Relation } from '../project/relation.js';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { CompiledProject, ModelNode, ProjectNode } from '../project/nodes.js';
import { nodeIndex } from '../project/lookup.js';
import { inputLabel, type GivenInput, type UnitTest } from '../load/load-unit-tests.js';

const INVALID = 'unit_test.invalid';

/** A given input matched to the relation the model's compiled SQL names. */
export interface ResolvedInput {
  readonly given: GivenInput;
  /** The node it stands for (a model, seed or source), by unique id. */
  readonly node: string;
  readonly relation: Relation;
  /** Snowflake types the project declares for it (a seed's config); empty when unknown. */
  readonly declaredTypes: Readonly<Record<string, string>>;
}

export interface ResolvedUnitTest {
  readonly test: UnitTest;
  readonly model: ModelNode;
  readonly inputs: readonly ResolvedInput[];
}

/** A relation a model reads, by the label a test gives it under. */
export interface ReadInput {
  readonly label: string;
  readonly node: ProjectNode;
}

/**
 * What a model's compiled SQL reads: its refs and sources, with each ephemeral model replaced by what it reads,
 * because compile inlines ephemerals as CTEs and only their upstream relations remain in the SQL.
 */
export function modelInputs(model: ModelNode, project: CompiledProject): { inputs: ReadInput[]; inlined: ModelNode[] } {
  const index = nodeIndex(project);
  const inputs = new Map<string, ReadInput>();
  const inlined: ModelNode[] = [];
  const visit = (m: ModelNode): void => {
    for (const ref of m.refs) {
      const node = index.ref(ref);
      if (node?.kind === 'model' && node.config.materialized === 'ephemeral' && node !== model) {
        if (inlined.includes(node)) continue;
        inlined.push(node);
        visit(node);
      } else if (node) inputs.set(`ref:${ref}`, { label: inputLabel({ kind: 'ref', name: ref }), node });
    }
    for (const s of m.sources) {
      const node = index.source(s);
      const [source = '', table = ''] = s.split('.');
      if (node) inputs.set(`source:${s}`, { label: inputLabel({ kind: 'source', source, table }), node });
    }
  };
  visit(model);
  return { inputs: [...inputs.values()], inlined };
}

/** Matches a test to the compiled project: the model, each given input, and what is missing. */
export function resolveUnitTest(test: UnitTest, project: CompiledProject): { resolved?: ResolvedUnitTest; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fail = (location: SourceLocation, message: string, hint?: string): void => {
    diagnostics.push(error(INVALID, `unit test \`${test.name}\`: ${message}`, { location, ...(hint ? { hint } : {}) }));
  };
  const index = nodeIndex(project);
  const model = index.model(test.model);
  if (!model) {
    const other = index.any(test.model);
    fail(test.modelLocation, `unknown model \`${test.model}\``, other ? `\`${test.model}\` is a ${other.kind}; unit tests test models` : didYouMean(test.model, index.names('model')));
    return { diagnostics };
  }
  const { inputs: reads, inlined } = modelInputs(model, project);
  const relationKey = (n: ProjectNode): string => n.relationName.toLowerCase();
  const givenByRelation = new Map<string, GivenInput>();
  const resolved: ResolvedInput[] = [];
  for (const given of test.given) {
    const read = reads.find((r) => r.label === given.label);
    if (!read) {
      const ephemeral = given.input.kind === 'ref' ? inlined.find((m) => m.name === (given.input as { name: string }).name) : undefined;
      if (ephemeral) {
        const upstream = modelInputs(ephemeral, project).inputs.map((r) => r.label);
        fail(given.location, `${given.label} is an ephemeral model inlined into \`${model.name}\`, so the test runs its SQL too`, `give what it reads instead: ${upstream.join(', ')}`);
      } else {
        const labels = reads.map((r) => r.label);
        fail(given.location, `\`${model.name}\` does not read ${given.label}`, didYouMean(given.label, labels) ?? (labels.length ? `it reads ${labels.join(', ')}` : 'it reads no ref() or source()'));
      }
      continue;
    }
    // A ref and a source can name one relation (a seed that loads a source): one given input serves both.
    const key = relationKey(read.node);
    const earlier = givenByRelation.get(key);
    if (earlier) {
      fail(given.location, `${given.label} is given twice (also as ${earlier.label} at line ${earlier.location.line})`);
      continue;
    }
    givenByRelation.set(key, given);
    const declaredTypes = read.node.kind === 'seed' ? read.node.columns : {};
    if (given.data.kind === 'rows' && given.data.rows.length === 0 && !Object.keys({ ...declaredTypes, ...given.columns }).length) {
      fail(given.location, `${given.label} has no rows, so its columns are unknown`, 'add `columns: {name: TYPE, ...}` to the input');
    }
    resolved.push({ given, node: read.node.uniqueId, relation: read.node.relation, declaredTypes });
  }
  const missing = [...new Map(reads.filter((r) => !givenByRelation.has(relationKey(r.node))).map((r) => [relationKey(r.node), r.label])).values()];
  if (missing.length) {
    fail(test.modelLocation, `\`${model.name}\` reads ${missing.join(', ')}, which the test does not give`, 'a unit test gives every input so it never depends on built data; use `rows: []` for an empty one');
  }
  const incremental = model.config.materialized === 'incremental';
  if (test.this && !incremental) fail(test.this.location, `\`this\` gives the existing table of an incremental model, but \`${model.name}\` is materialized as ${model.config.materialized}`);
  if (test.expectTable && !incremental) fail(test.expectTable.location, `\`expect_table\` checks an incremental merge, but \`${model.name}\` is materialized as ${model.config.materialized}`, 'use `expect` for the rows the model selects');
  return diagnostics.length ? { diagnostics } : { resolved: { test, model, inputs: resolved }, diagnostics };
}

/** Cross-checks every test against the compiled project; the runner repeats the check per test, so this is for reporting all at once. */
export function checkUnitTests(tests: readonly UnitTest[], project: CompiledProject): Diagnostic[] {
  return tests.flatMap((t) => resolveUnitTest(t, project).diagnostics);
}


