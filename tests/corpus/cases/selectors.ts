// --select and --exclude: unknown methods, selectors that match nothing, selectors that do not parse.
import type { CorpusCase } from '../corpus-case.js';

const ls = (...selector: string[]): string[] => ['ls', '--select', ...selector];

export const SELECTOR_CASES: readonly CorpusCase[] = [
  { name: 'an unknown selector method suggests the right one', files: {}, args: ls('tags:finance'), expect: { code: 'select.invalid', file: null, hint: /`tag`/ } },
  { name: 'another unknown selector method', files: {}, args: ls('folder:models/silver'), expect: { code: 'select.invalid', file: null, message: /folder/ } },
  { name: 'a name that matches nothing, with a suggestion', files: {}, args: ls('ordrs'), expect: { code: 'select.invalid', file: null, hint: /`orders`/ } },
  { name: 'a wildcard that matches nothing', files: {}, args: ls('fct_*'), expect: { code: 'select.invalid', file: null, message: /fct_\*/ } },
  { name: 'a tag no node has', files: {}, args: ls('tag:financ'), expect: { code: 'select.invalid', file: null, hint: /`finance`/ } },
  { name: 'an unknown layer in a selector', files: {}, args: ls('layer:gold'), expect: { code: 'select.invalid', file: null, message: /gold/ } },
  { name: 'a path with no models under it', files: {}, args: ls('path:models/gold'), expect: { code: 'select.invalid', file: null, message: /models\/gold/ } },
  { name: 'an unknown source', files: {}, args: ls('source:legasy'), expect: { code: 'select.invalid', file: null, message: /no source `legasy`/ } },
  { name: 'an unknown resource type', files: {}, args: ls('resource_type:test'), expect: { code: 'select.invalid', file: null, message: /resource_type/ } },
  { name: 'a selector that does not parse', files: {}, args: ls('+'), expect: { code: 'select.invalid', file: null, message: /cannot parse/ } },
  { name: 'an intersection with an unknown name', files: {}, args: ls('tag:mart,nope'), expect: { code: 'select.invalid', file: null, message: /nope/ } },
  { name: 'an unknown name among good ones', files: {}, args: ls('orders', 'customerz+'), expect: { code: 'select.invalid', file: null, hint: /`customers`/ } },
  { name: '--exclude with an unknown name', files: {}, args: ['ls', '--exclude', 'ordres'], expect: { code: 'select.invalid', file: null, hint: /`orders`/ } },
  { name: 'build --select matching nothing', files: {}, args: ['build', '--select', 'no_such_model'], expect: { code: 'select.invalid', file: null } },
  { name: 'test --select with an unknown method', files: {}, args: ['test', '--select', 'model:orders'], expect: { code: 'select.invalid', file: null } },
  { name: 'test --unit --select matching nothing', files: {}, args: ['test', '--unit', '--select', 'ordres'], expect: { code: 'select.invalid', file: null } },
];
