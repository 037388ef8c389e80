// Rule: a macro in macros/ that no model, macro, singular test or contract calls is dead code (or a typo'd call
// that rendered something else). `adapter.dispatch('m')` counts as a call of every `<engine>__m` and `default__m`.
import type { LintRule } from './lint-rule.js';
import { positionAt, wordPattern } from './source-text.js';

const DEFINITION = /\{%-?\s*macro\s+([A-Za-z_][\w]*)\s*\(/g;
const DISPATCH = /\bdispatch\s*\(\s*['"]([A-Za-z_]\w*)['"]/g;

export const unusedMacro: LintRule = {
  id: 'unused_macro',
  summary: 'a macro in macros/ is called by no model, macro or test',
  defaultSeverity: 'warn',
  check: ({ loaded }) => {
    const definitions = loaded.macros.flatMap((file) =>
      [...file.raw.matchAll(DEFINITION)].map((m) => ({ name: m[1] as string, file, offset: m.index })),
    );
    // Every template text, each macro's own definition header blanked so it does not count as its call.
    const blankHeaders = (text: string): string => text.replace(DEFINITION, (all) => ' '.repeat(all.length));
    // Only what is inside template tags can call a macro: a column or a comment of the same name does not.
    const tags = (text: string): string => [...text.matchAll(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g)].map((m) => m[0]).join('\n');
    const texts = [
      ...loaded.models.map((m) => m.raw),
      ...loaded.singularTests.map((t) => t.raw),
      ...loaded.macros.map((m) => blankHeaders(m.raw)),
      ...loaded.contracts.map((c) => JSON.stringify(c.contract)),
    ].map(tags);
    const dispatched = new Set(texts.flatMap((t) => [...t.matchAll(DISPATCH)].map((m) => m[1] as string)));
    return definitions.flatMap(({ name, file, offset }) => {
      const viaDispatch = /^[a-z]+__(.+)$/.exec(name)?.[1];
      if ((viaDispatch && dispatched.has(viaDispatch)) || texts.some((t) => wordPattern(name).test(t))) return [];
      return [{
        code: 'lint.unused_macro' as const,
        message: `macro ${name} is called by no model, macro or test`,
        location: { file: file.path, ...positionAt(file.raw, offset) },
        hint: 'delete it, or call it where it was meant to be used',
      }];
    });
  },
};
