// Node ids: built and read back here only. An id is `<kind>.<project>.<name>[.<more>]`; the project name never
// contains a dot, and neither do model, seed or source names, so the parts are unambiguous.

export type NodeIdKind = 'model' | 'seed' | 'source' | 'test' | 'unit_test' | 'slo';

export const modelId = (project: string, name: string): string => `model.${project}.${name}`;
export const seedId = (project: string, name: string): string => `seed.${project}.${name}`;
export const sourceId = (project: string, source: string, table: string): string => `source.${project}.${source}.${table}`;
/** A singular test (a .sql file under the tests folder), or a contract test with `parts` after the model name. */
export const testId = (project: string, ...parts: readonly string[]): string => ['test', project, ...parts].join('.');
export const unitTestId = (project: string, model: string, name: string): string => `unit_test.${project}.${model}.${name}`;
/** An SLO of a model: `slo.<project>.<model>[.<column>].<kind>`. */
export const sloId = (model: string, kind: string, column?: string): string => {
  const { project, name } = parseNodeId(model);
  return ['slo', project, name, ...(column ? [column] : []), kind].join('.');
};

export interface ParsedNodeId {
  readonly kind: NodeIdKind;
  readonly project: string;
  /** The node's own name: the model, seed or test name; for a source, `source.table`. */
  readonly name: string;
  /** Parts after the project, e.g. [model, column, kind, hash] for a contract test. */
  readonly parts: readonly string[];
}

export function parseNodeId(id: string): ParsedNodeId {
  const [kind = '', project = '', ...parts] = id.split('.');
  return { kind: kind as NodeIdKind, project, name: parts.join('.'), parts };
}

/** The last part of an id: a model's or seed's name. */
export const nameOfId = (id: string): string => parseNodeId(id).parts.at(-1) ?? id;
