// Best-effort lint: tables a rendered SELECT (a model's, or a contract test's) reads that did not come from ref() or source().
// node-sql-parser parses only part of Snowflake SQL, so a statement it cannot parse is skipped, never failed.
import sqlParser from 'node-sql-parser';
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js';
import type { CompiledProject, ModelNode } from '../project/nodes.js';
import { nameOfId } from '../project/node-id.js';
import { nodeIndex } from '../project/lookup.js';
import { memoizeText } from '../project/memo.js';
import { positionAt, sqlSkeleton, wordPattern } from './lint/source-text.js';

const parser = new sqlParser.Parser();

interface ParsedTables {
  readonly tables: string[];
  readonly ctes: Set<string>;
}

const parseTables = memoizeText((sql: string): ParsedTables | undefined => {
  try {
    const { tableList, ast } = parser.parse(sql, { database: 'snowflake' });
    const statements = Array.isArray(ast) ? ast : [ast];
    const ctes = new Set<string>();
    for (const statement of statements) {
      for (const cte of ((statement as { with?: Array<{ name?: { value?: string } }> | null }).with ?? [])) {
        if (cte.name?.value) ctes.add(cte.name.value.toLowerCase());
      }
    }
    // Entries look like 'select::db.schema::table'; the middle part is 'null' for unqualified names.
    return { tables: tableList.map((t) => t.split('::').slice(1).filter((p) => p !== 'null').join('.')), ctes };
  } catch {
    return undefined;
  }
}, 5_000);

const unquote = (name: string): string => name.replace(/"/g, '').toLowerCase();

/** What the lint needs of a rendered contract test (render's DataTest has these). */
export interface ContractTestSql {
  readonly name: string;
  readonly kind: string;
  readonly sql: string;
  readonly modelId: string;
  readonly dependsOn: readonly string[];
  readonly location: SourceLocation;
}

/** Warnings for one model; `undefined` when the parser could not read its SQL. */
export function checkTableReferences(model: ModelNode, project: CompiledProject): Diagnostic[] | undefined {
  return undeclaredReads(model.compiledSql, project, {
    who: model.name,
    self: model.uniqueId,
    declared: declaredDependencies(model.dependsOn, project),
    locate: (table) => ({ file: model.path, ...positionOf(model.rawSql, table.split('.').pop() ?? table) }),
  });
}

/**
 * Warnings for a contract test that reads a model by name: the runner waits only for what ref() declared, so
 * such a test can run while the other model is still being built, and fail or pass by timing.
 */
export function checkTestReferences(test: ContractTestSql, project: CompiledProject): Diagnostic[] | undefined {
  // A policy test reads the model's own physical table, which charter names; nothing to declare.
  if (test.kind === 'policy') return [];
  return undeclaredReads(test.sql, project, {
    who: `test ${test.name}`,
    self: test.modelId,
    declared: declaredDependencies(test.dependsOn, project),
    locate: () => test.location,
  });
}

function undeclaredReads(
  sql: string,
  project: CompiledProject,
  reader: { who: string; self: string; declared: ReadonlySet<string>; locate: (table: string) => SourceLocation },
): Diagnostic[] | undefined {
  const parsed = parseTables(sql);
  if (!parsed) return undefined;
  const index = nodeIndex(project);
  const warnings: Diagnostic[] = [];
  for (const table of new Set(parsed.tables)) {
    const name = unquote(table);
    if (!name.includes('.') && parsed.ctes.has(name)) continue;
    const owner = (index.byRelation(name) ?? index.byRelation(`${unquote(project.target.database)}.${name}`))?.uniqueId;
    if (owner === reader.self || (owner && reader.declared.has(owner))) continue;
    const location = reader.locate(table);
    warnings.push(
      owner
        ? {
            code: 'ref.hardcoded',
            severity: 'warning',
            message: `${reader.who} reads ${table} by name, so the DAG does not know it depends on ${owner}`,
            location,
            hint: `use {{ ref('${nameOfId(owner)}') }} so it builds first`,
          }
        : {
            code: 'ref.hardcoded',
            severity: 'warning',
            message: `${reader.who} reads ${table}, which is neither a model, a seed nor a declared source`,
            location,
            hint: 'declare it as a source in a YAML file under models/ and use source()',
          },
    );
  }
  return warnings;
}

/** Direct dependencies, plus those of ephemeral parents, whose SQL is inlined into this model. */
function declaredDependencies(dependsOn: readonly string[], project: CompiledProject): Set<string> {
  const declared = new Set<string>();
  const pending = [...dependsOn];
  while (pending.length) {
    const id = pending.pop() as string;
    if (declared.has(id)) continue;
    declared.add(id);
    const node = project.nodes.get(id);
    if (node?.kind === 'model' && node.config.materialized === 'ephemeral') pending.push(...node.dependsOn);
  }
  return declared;
}

/** Where the table's name is written in the SQL of the template (tags, strings and comments skipped); else its first mention. */
function positionOf(text: string, word: string): { line: number; column: number } {
  const pattern = wordPattern(word.replace(/"/g, ''));
  const match = pattern.exec(sqlSkeleton(text)) ?? pattern.exec(text);
  return match ? positionAt(text, match.index) : { line: 1, column: 1 };
}
