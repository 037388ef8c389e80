// Singular tests as data tests: each runs after the last node it reads, in DAG order.
import type { CompiledProject } from '../project/nodes.js';
import type { DataTest } from './render-contract-tests.js';

export function singularDataTests(project: CompiledProject): DataTest[] {
  const position = new Map(project.order.map((id, i) => [id, i]));
  return project.singularTests.map((t) => {
    const runnable = t.dependsOn.filter((d) => project.nodes.get(d)?.kind !== 'source');
    const last = [...runnable].sort((a, b) => (position.get(b) ?? 0) - (position.get(a) ?? 0))[0] ?? t.uniqueId;
    return {
      id: t.uniqueId,
      name: t.name,
      contract: '',
      modelId: last,
      kind: 'singular',
      severity: 'error',
      errorIf: '!=0',
      warnIf: '!=0',
      sql: t.sql,
      location: { file: t.path, line: 1, column: 1 },
      dependsOn: runnable,
    };
  });
}
