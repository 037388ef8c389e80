// Rule: every PLATINUM model is governed by a contract: its columns, types, owners and classifications are what
// consumers rely on, and governance (masking, row access) hangs off the contract.
import type { LintRule } from './lint-rule.js';

export const platinumContract: LintRule = {
  id: 'platinum_contract',
  summary: 'a PLATINUM model has no contract',
  defaultSeverity: 'error',
  check: ({ project, governed, loaded }) =>
    project.order.flatMap((id) => {
      const node = project.nodes.get(id);
      if (node?.kind !== 'model' || node.layer !== 'platinum' || governed.has(id)) return [];
      return [{
        code: 'lint.platinum_contract' as const,
        message: `PLATINUM model ${node.name} has no contract`,
        location: { file: node.path, line: 1, column: 1 },
        hint: `add ${loaded.paths.contracts}/${node.name}.yml with \`model: ${node.name}\`, its owners and its columns`,
      }];
    }),
};
