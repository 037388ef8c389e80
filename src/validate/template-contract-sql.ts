// Contract SQL (expression tests, as_of times) may use {{ ref('m') }}, {{ var('v') }} and {{ this }}, as models do.
// Resolved here against the compiled project, so a test that reads another model also waits for it.
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { CompiledProject } from '../project/nodes.js';
import { nodeIndex } from '../project/lookup.js';

const TAG = /\{\{\s*(ref\(\s*['"]([^'"]+)['"]\s*\)|var\(\s*['"]([^'"]+)['"]\s*(?:,\s*(?:'([^']*)'|"([^"]*)"|([^)\s]+))\s*)?\)|this)\s*\}\}/g;

export interface TemplatedSql {
  readonly sql: string;
  /** Unique ids of the nodes the SQL refers to with ref(). */
  readonly refs: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

export function templateContractSql(
  sql: string,
  context: { project: CompiledProject; vars: Readonly<Record<string, unknown>>; self?: string; location: SourceLocation },
): TemplatedSql {
  const { project, vars, location } = context;
  const index = nodeIndex(project);
  const refs: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const out = sql.replace(TAG, (whole, _call: string, refName?: string, varName?: string, q1?: string, q2?: string, bare?: string) => {
    if (refName !== undefined) {
      const node = index.ref(refName);
      if (!node) {
        diagnostics.push(error('ref.unknown', `ref('${refName}') in a contract names no model or seed`, { location, hint: didYouMean(refName, index.names('model', 'seed')) }));
        return whole;
      }
      refs.push(node.uniqueId);
      return node.relationName;
    }
    if (varName !== undefined) {
      if (Object.prototype.hasOwnProperty.call(vars, varName)) return String(vars[varName]);
      const fallback = q1 ?? q2 ?? bare;
      if (fallback !== undefined) return fallback;
      diagnostics.push(error('var.missing', `var('${varName}') in a contract has no value and no default`, { location, hint: didYouMean(varName, Object.keys(vars)) }));
      return whole;
    }
    return context.self ? (project.nodes.get(context.self)?.relationName ?? whole) : whole;
  });
  return { sql: out, refs: [...new Set(refs)], diagnostics };
}
