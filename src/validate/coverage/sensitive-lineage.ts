// Which pii and phi columns reach each output column of the PLATINUM models, by column lineage through any number
// of models. A column is derived from personal data when a value of a column a contract classifies pii or phi
// flows into it, passed through, computed row by row or aggregated; an aggregate that only counts (COUNT, COUNT
// DISTINCT, COUNT_IF, APPROX_COUNT_DISTINCT) carries no such value and ends the path: how many distinct emails a
// customer has is not personal data, their MIN, MAX, ANY_VALUE or LISTAGG is (and SUM or AVG over a group of one
// row is the value itself). Whatever lineage leaves open is kept as unknown, never guessed. Pure.
import type { ProjectLineage } from '../../graph/column-lineage.js';
import type { UnknownStep } from '../../graph/root-lineage.js';
import { parseNodeId } from '../../project/node-id.js';
import type { ModelNode } from '../../project/nodes.js';

export interface SensitiveSource {
  readonly node: string;
  /** Lower-cased. */
  readonly column: string;
  readonly classification: 'pii' | 'phi';
}

export interface DerivedColumn {
  readonly model: ModelNode;
  /** Lower-cased, as lineage names output columns; '*' stands for the columns of a model whose shape is unknown. */
  readonly column: string;
  /** The nearest classified pii or phi columns upstream whose values reach this one. */
  readonly sources: readonly SensitiveSource[];
  /** Where tracing stopped short: with no source found, whether the column derives from personal data is unknown. */
  readonly unknown: readonly UnknownStep[];
}

/** `classificationOf(model id, lower-cased column)`: what the model's contract says of the column, if anything. */
export function platinumDerivation(
  models: Iterable<ModelNode>,
  lineage: ProjectLineage,
  classificationOf: (node: string, column: string) => string | undefined,
): DerivedColumn[] {
  const memo = new Map<string, { sources: Map<string, SensitiveSource>; unknown: Map<string, UnknownStep> }>();

  const upstreamOf = (node: string, column: string): { sources: Map<string, SensitiveSource>; unknown: Map<string, UnknownStep> } => {
    const key = `${node}\u0000${column}`;
    const known = memo.get(key);
    if (known) return known;
    const sources = new Map<string, SensitiveSource>();
    const unknown = new Map<string, UnknownStep>();
    const result = { sources, unknown };
    memo.set(key, result);
    const model = lineage.models[node];
    const traced = model?.columns.find((c) => c.column === column);
    if (!model || !traced) {
      const reason = !model ? 'the model was not traced' : (model.shapeUnknown ?? `${column} is not an output column of the model`);
      unknown.set(`${node}\u0000${column}\u0000${reason}`, { node, column, reason });
      return result;
    }
    if (traced.status === 'unknown') for (const reason of traced.reasons) unknown.set(`${node}\u0000${column}\u0000${reason}`, { node, column, reason });
    for (const step of traced.upstream) {
      // Seeds and sources carry no classification (their landing models' contracts do).
      if (step.how === 'count' || parseNodeId(step.node).kind !== 'model') continue;
      const classification = classificationOf(step.node, step.column);
      if (classification === 'pii' || classification === 'phi') {
        // The nearest classified column says it all; what is further up adds nothing to the verdict.
        sources.set(`${step.node}\u0000${step.column}`, { node: step.node, column: step.column, classification });
        continue;
      }
      // A column classified anything else is followed all the same: a contract can be wrong, lineage is the check.
      const above = upstreamOf(step.node, step.column);
      for (const [k, s] of above.sources) sources.set(k, s);
      for (const [k, u] of above.unknown) unknown.set(k, u);
    }
    return result;
  };

  const derived: DerivedColumn[] = [];
  for (const model of models) {
    const traced = lineage.models[model.uniqueId];
    if (!traced) {
      derived.push({ model, column: '*', sources: [], unknown: [{ node: model.uniqueId, column: '*', reason: 'the model was not traced' }] });
      continue;
    }
    for (const c of traced.columns) {
      const { sources, unknown } = upstreamOf(model.uniqueId, c.column);
      derived.push({ model, column: c.column, sources: [...sources.values()], unknown: [...unknown.values()] });
    }
    if (traced.shapeUnknown) derived.push({ model, column: '*', sources: [], unknown: [{ node: model.uniqueId, column: '*', reason: traced.shapeUnknown }] });
  }
  return derived;
}
