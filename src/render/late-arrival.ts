// config(late_arrival=...) names the input whose late rows matter: resolved here to the relation the model reads.
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { nodeIndex } from '../project/lookup.js';
import type { CompiledProject, ProjectNode } from '../project/nodes.js';

export function withLateArrival(project: CompiledProject): { project: CompiledProject; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const index = nodeIndex(project);
  let nodes: Map<string, ProjectNode> | undefined;
  for (const node of project.nodes.values()) {
    const late = node.kind === 'model' ? node.config.lateArrival : undefined;
    if (node.kind !== 'model' || !late) continue;
    const location = { file: node.path, line: 1, column: 1 };
    if (node.config.materialized !== 'incremental') {
      diagnostics.push(error('config.invalid', `config(late_arrival=...) is for incremental models; \`${node.name}\` is ${node.config.materialized}`, { location }));
      continue;
    }
    const input = index.ref(late.input);
    if (!input || !node.refs.includes(input.name)) {
      diagnostics.push(error('config.invalid', `config(late_arrival=...) names input \`${late.input}\`, which \`${node.name}\` does not ref()`, {
        location,
        hint: didYouMean(late.input, node.refs) ?? `it reads ${node.refs.join(', ') || 'nothing through ref()'}`,
      }));
      continue;
    }
    nodes ??= new Map(project.nodes);
    nodes.set(node.uniqueId, { ...node, lateArrival: { ...late, inputId: input.uniqueId, inputRelation: input.relationName } });
  }
  return { project: nodes ? { ...project, nodes } : project, diagnostics };
}
