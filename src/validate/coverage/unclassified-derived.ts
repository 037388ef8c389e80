// governance.unclassified_derived: a PLATINUM column into which column lineage traces a value of a pii or phi
// column (see sensitive-lineage.ts) is classified pii or phi by its contract, so it is masked and its readers are
// known. Points at the contract column, or at the model's SQL where no contract declares the column.
import { error, type Diagnostic, type SourceLocation } from '../../diagnostics/diagnostic.js';
import { locate } from '../../load/load-contracts.js';
import { nameOfId } from '../../project/node-id.js';
import type { ModelNode } from '../../project/nodes.js';
import { SENSITIVE, type CoverageRule } from './coverage-rule.js';
import type { SensitiveSource } from './sensitive-lineage.js';

/**
 * Where the model's SQL names the column: its last `AS column` (the outer SELECT comes last), else the first mention
 * of the name outside a comment, else the file's first line. Only a pointer for the reader: lineage decided the rest.
 */
function columnInSql(model: ModelNode, column: string): SourceLocation {
  const word = `"?(${column.replace(/[$]/g, '\\$')})"?(?![\\w$])`;
  const at = (offset: number): SourceLocation => {
    const before = model.rawSql.slice(0, offset).split('\n');
    return { file: model.location.file, line: before.length, column: before.at(-1)!.length + 1 };
  };
  const alias = [...model.rawSql.matchAll(new RegExp(`\\bas\\s+${word}`, 'gid'))].at(-1)?.indices?.[1]?.[0];
  if (alias !== undefined) return at(alias);
  let offset = 0;
  for (const line of model.rawSql.split('\n')) {
    const code = line.split('--')[0]!;
    const mention = new RegExp(`(?<![\\w$])${word}`, 'id').exec(code)?.indices?.[1]?.[0];
    if (mention !== undefined) return at(offset + mention);
    offset += line.length + 1;
  }
  return model.location;
}

const named = (sources: readonly SensitiveSource[]): string =>
  sources.map((s) => `${nameOfId(s.node)}.${s.column} (${s.classification})`).sort().join(', ');

export const unclassifiedDerived: CoverageRule = {
  id: 'governance.unclassified_derived',
  summary: 'every PLATINUM column derived from a pii or phi column is classified pii or phi',
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const { model, column, sources } of context.derived) {
      if (!sources.length) continue;
      const relation = context.governed.get(model.uniqueId);
      const index = relation?.governed.columns.findIndex((c) => c.name.toLowerCase() === column) ?? -1;
      const declared = relation && index >= 0 ? relation.governed.columns[index] : undefined;
      if (declared?.classification && SENSITIVE.has(declared.classification)) continue;
      const suggested = sources.some((s) => s.classification === 'phi') ? 'phi' : 'pii';
      const from = `PLATINUM column \`${column}\` of ${model.name} is derived from ${named(sources)}`;
      if (relation && declared) {
        const at = [...relation.governed.base, 'columns', index];
        diagnostics.push(error('governance.unclassified_derived', `${from}, but its contract ${declared.classification ? `classifies it ${declared.classification}` : 'does not classify it'}`, {
          location: locate(relation.contract, declared.classification ? [...at, 'classification'] : at),
          hint: `classify it \`classification: ${suggested}\` (it is then masked like its source), or compute it so that no personal value reaches it (a COUNT carries none)`,
        }));
      } else {
        diagnostics.push(error('governance.unclassified_derived', `${from}, but ${relation ? `its contract (${relation.contract.file}) does not declare the column` : 'no contract governs the model'}`, {
          location: columnInSql(model, column),
          hint: relation
            ? `declare it in ${relation.contract.file} with \`classification: ${suggested}\``
            : `write a contract for ${model.name} that declares it with \`classification: ${suggested}\`, or leave the personal value out of the model`,
        }));
      }
    }
    return diagnostics;
  },
};
