// `charter semantic pull <view> [--merge]`: the view as deployed on a Snowflake target, read back with
// SYSTEM$READ_YAML_FROM_SEMANTIC_VIEW and compared with what compile renders from semantic_views/<view>.yml; with
// --merge, the verified queries only the warehouse has (added in Snowsight, say) are written into the project's file,
// its comments kept, so the next deploy (a CREATE OR REPLACE) does not lose them from the project.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isSeq, parse, parseDocument } from 'yaml';
import { error, UserError } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { writeFileAtomic } from '../load/atomic-file.js';
import { loadProject } from '../load/load-project.js';
import type { LoadedSemanticView } from '../load/load-semantic-views.js';
import type { VerifiedQuery } from '../load/semantic-view-schema.js';
import { diffSemanticModels, type SemanticDifference } from '../plan/semantic-view-diff.js';
import { compileProject } from '../render/compile-project.js';
import { semanticViewName, sqlString } from '../render/semantic-view-ddl.js';
import { DEFAULT_SEMANTIC_SCHEMA, placementOf } from '../render/semantic-view-files.js';
import { semanticModel } from '../render/semantic-view-yaml.js';
import type { ProjectOptions } from './options.js';
import { query } from './query.js';

export interface SemanticPullOptions extends ProjectOptions {
  readonly view: string;
  /** Write the deployed-only verified queries into the project's file. */
  readonly merge?: boolean;
}

export interface SemanticPull {
  readonly view: string;
  /** Fully qualified, as deployed. */
  readonly name: string;
  /** The project's file, project-relative. */
  readonly file: string;
  readonly differences: readonly SemanticDifference[];
  /** With --merge: the verified queries written into the file. */
  readonly merged: readonly VerifiedQuery[];
}

export async function semanticPull(options: SemanticPullOptions): Promise<SemanticPull> {
  const loaded = await loadProject(options);
  const view = findView(loaded.semanticViews, options.view);
  if (loaded.target.engine !== 'snowflake') {
    throw new UserError([error('semantic.not_deployed', `${loaded.targetName} is a ${loaded.target.engine} target: semantic views are deployed to Snowflake only`, {
      hint: 'pick a Snowflake target with --target; locally, `charter query --semantic-view` answers from the definition itself',
    })]);
  }
  const place = placementOf(view, compileProject(loaded), loaded.config.layers?.platinum ?? DEFAULT_SEMANTIC_SCHEMA, loaded.config.name.toUpperCase());
  const name = semanticViewName(view.definition, place);
  const read = await query({ ...options, sql: `SELECT SYSTEM$READ_YAML_FROM_SEMANTIC_VIEW(${sqlString(name)})` }).catch((e: unknown) => {
    if (!(e instanceof UserError)) throw e;
    throw new UserError([error('semantic.not_deployed', `semantic view ${name} could not be read on ${loaded.targetName}: ${e.diagnostics[0]?.message ?? e.message}`, {
      location: { file: view.file, line: 1, column: 1 }, hint: '`charter build` deploys it once the models it reads are built',
    })]);
  });
  const text = read.rows[0]?.[0];
  const deployed = typeof text === 'string' ? (parse(text) as unknown) : undefined;
  if (!deployed || typeof deployed !== 'object') throw new UserError([error('semantic.not_deployed', `semantic view ${name} read back no YAML on ${loaded.targetName}`)]);
  const diff = diffSemanticModels(semanticModel(view.definition, place), deployed as Record<string, unknown>);
  const merged = options.merge && diff.deployedQueries.length ? await mergeQueries(path.join(loaded.rootDir, view.file), diff.deployedQueries) : [];
  return { view: view.definition.name, name, file: view.file, differences: diff.differences, merged };
}

function findView(views: readonly LoadedSemanticView[], wanted: string): LoadedSemanticView {
  const view = views.find((v) => v.definition.name.toLowerCase() === wanted.toLowerCase());
  if (view) return view;
  const known = views.map((v) => v.definition.name);
  throw new UserError([error('cli.usage', `\`${wanted}\` is not a semantic view of this project`, {
    hint: didYouMean(wanted, known) ?? (known.length ? `semantic views: ${known.join(', ')}` : 'define one in semantic_views/*.yml'),
  })]);
}

/** Appends the queries to the file's verified_queries (made if missing) through the YAML document, comments kept. */
async function mergeQueries(file: string, queries: readonly VerifiedQuery[]): Promise<VerifiedQuery[]> {
  const doc = parseDocument(await readFile(file, 'utf8'));
  const list = doc.get('verified_queries');
  if (isSeq(list)) for (const q of queries) list.add(doc.createNode(q));
  else doc.set('verified_queries', doc.createNode([...queries]));
  writeFileAtomic(file, doc.toString({ lineWidth: 0 }));
  return [...queries];
}
