// Rule: a source table declared under models/ that no model or test reads through source() is stale documentation
// (or the model reads it by name: see ref_hardcoded).
import { sourceId } from '../../project/node-id.js';
import type { LintRule } from './lint-rule.js';

export const unusedSource: LintRule = {
  id: 'unused_source',
  summary: 'a declared source table is read by no model or test through source()',
  defaultSeverity: 'warn',
  check: ({ loaded, project, contractTests }) => {
    const read = new Set<string>();
    for (const node of project.nodes.values()) for (const id of node.dependsOn) read.add(id);
    for (const test of project.singularTests) for (const id of test.dependsOn) read.add(id);
    for (const test of contractTests) for (const id of test.dependsOn) read.add(id);
    return loaded.sources.flatMap((s) =>
      read.has(sourceId(project.projectName, s.sourceName, s.name))
        ? []
        : [{
            code: 'lint.unused_source' as const,
            message: `source ${s.sourceName}.${s.name} is declared but no model or test reads it with source()`,
            location: s.location,
            hint: `read it with {{ source('${s.sourceName}', '${s.name}') }}, or remove its declaration`,
          }],
    );
  },
};
