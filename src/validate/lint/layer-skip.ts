// Rule (opt-in with `lint: {layers: {no_skip: true}}`): a model reads its own layer or the one right below it, so
// bronze -> silver -> platinum is the only road. Ops models, seeds and sources stand outside that chain.
import type { ModelNode } from '../../project/nodes.js';
import type { LintRule } from './lint-rule.js';
import { callPattern, findPosition } from './source-text.js';

const CHAIN = ['bronze', 'silver', 'platinum'] as const;
const rank = (model: ModelNode): number => (CHAIN as readonly string[]).indexOf(model.layer ?? '');

export const layerSkip: LintRule = {
  id: 'layer_skip',
  summary: 'a model refs a model more than one layer below it (bronze -> silver -> platinum), when project.yml sets lint.layers.no_skip',
  defaultSeverity: 'error',
  check: ({ project, loaded }) => {
    if (!loaded.config.lint?.layers?.no_skip) return [];
    return project.order.flatMap((id) => {
      const node = project.nodes.get(id);
      if (node?.kind !== 'model' || rank(node) < 0) return [];
      return node.refs.flatMap((ref) => {
        const parent = [...project.nodes.values()].find((n): n is ModelNode => n.kind === 'model' && n.name === ref);
        if (!parent || rank(parent) < 0 || rank(node) - rank(parent) <= 1) return [];
        const between = CHAIN.slice(rank(parent) + 1, rank(node)).join(' and ');
        return [{
          code: 'lint.layer_skip' as const,
          message: `${node.layer} model ${node.name} refs ${parent.layer} model ${parent.name}, skipping the ${between} layer`,
          location: { file: node.path, ...(findPosition(node.rawSql, callPattern('ref', [ref])) ?? { line: 1, column: 1 }) },
          hint: `read it through a ${between} model that refs ${parent.name}, or turn the rule off: lint: {layers: {no_skip: false}}`,
        }];
      });
    });
  },
};
