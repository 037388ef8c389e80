// Ephemeral models are not built: their SQL is inlined as CTEs into every model that refs them.
import type { SqlDialect } from '../adapters/dialect.js';

const REF_ONLY = /\u0001ref:([^\u0002]*)\u0002/g;

export interface EphemeralBody {
  readonly compiledSql: string;
}

export const ephemeralCteName = (name: string): string => `__charter_ephemeral__${name}`;

/**
 * Replaces refs to ephemeral models with CTE names and prepends those CTEs, dependencies first.
 * `resolve` turns the remaining placeholders into relation names.
 */
export function inlineEphemerals(
  sql: string,
  ephemeralOf: (ref: string) => EphemeralBody | undefined,
  resolve: (sql: string) => string,
  dialect: SqlDialect,
): string {
  const ctes: Array<[string, string]> = [];
  const inlined = new Set<string>();
  const visit = (text: string): string =>
    text.replace(REF_ONLY, (placeholder, ref: string) => {
      const ephemeral = ephemeralOf(ref);
      if (!ephemeral) return placeholder;
      const cte = dialect.quoteIdentifier(ephemeralCteName(ref));
      if (!inlined.has(ref)) {
        inlined.add(ref);
        const body = resolve(visit(ephemeral.compiledSql.replace(/;\s*$/, '').trim()));
        ctes.push([cte, body]);
      }
      return cte;
    });
  const main = resolve(visit(sql));
  return ctes.length ? prependCtes(main, ctes) : main;
}

function prependCtes(sql: string, ctes: ReadonlyArray<[string, string]>): string {
  const definitions = ctes.map(([name, body]) => `${name} AS (\n${body}\n)`).join(',\n');
  const lead = /^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/.exec(sql)?.[0] ?? '';
  const rest = sql.slice(lead.length);
  const withClause = /^with(\s+recursive)?\s+/i.exec(rest);
  if (withClause) {
    return `${lead}${withClause[0]}${definitions},\n${rest.slice(withClause[0].length)}`;
  }
  return `${lead}WITH ${definitions}\n${rest}`;
}
