// The compile stage's I/O edge: compiled SQL files and manifest.json, rewriting only what changed.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256 } from '../project/hash.js';
import type { CompiledProject } from '../project/nodes.js';
import type { DataTest } from '../render/render-contract-tests.js';
import type { ContractBindings } from '../render/bind-contracts.js';
import { compiledFileText, compiledSqlOf } from './compiled-files.js';
import { formatAll } from './format-pool.js';
import { buildManifest, type ManifestMetadata } from './manifest.js';
import { parseNodeId } from '../project/node-id.js';

export interface WriteSummary {
  readonly written: number;
  readonly unchanged: number;
}

export async function writeCompiledFiles(
  project: CompiledProject,
  rootDir: string,
  targetDir: string,
  previous: ReadonlyMap<string, string>,
  tests: readonly DataTest[] = [],
  format = true,
): Promise<{ summary: WriteSummary; written: Map<string, string> }> {
  const written = new Map<string, string>();
  const pending: Array<{ file: string; sql: string; text: (formatted: string) => string }> = [];
  let unchanged = 0;
  for (const node of project.nodes.values()) {
    if (node.kind !== 'model') continue;
    const variants: Array<'full' | 'incremental'> = node.incrementalSql === undefined ? ['full'] : ['full', 'incremental'];
    for (const variant of variants) {
      const relative = path.posix.join(targetDir, 'compiled', variant === 'full' ? node.path : node.path.replace(/\.sql$/, '.incremental.sql'));
      // The compiled hash stands for the file's content, so an unchanged model skips formatting and writing.
      const key = sha256(`${variant}:${node.compiledHash}:${node.relationName}:${node.config.materialized}:${format}`);
      written.set(relative, key);
      if (previous.get(relative) === key && existsSync(path.join(rootDir, relative))) {
        unchanged++;
        continue;
      }
      pending.push({
        file: path.join(rootDir, relative),
        sql: compiledSqlOf(node, variant),
        text: (formatted) => compiledFileText(node, variant, formatted),
      });
    }
  }
  // Each contract test's query, so a reviewer can read (and run) exactly what charter checks.
  for (const test of tests) {
    const model = project.nodes.get(test.modelId);
    const folder = test.kind === 'singular' ? 'singular' : (model?.name ?? 'unknown');
    const file = test.kind === 'singular' ? test.name : parseNodeId(test.id).parts.slice(1).join('.') || test.id;
    const relative = path.posix.join(targetDir, 'compiled', 'tests', folder, `${file}.sql`);
    const key = sha256(`test:${test.sql}:${test.severity}:${test.errorIf}:${test.warnIf}:${format}`);
    written.set(relative, key);
    if (previous.get(relative) === key && existsSync(path.join(rootDir, relative))) {
      unchanged++;
      continue;
    }
    const header = [
      `-- charter test: ${test.id}`,
      `-- contract: ${test.contract} (${test.location.file}:${test.location.line})`,
      `-- returns failing rows; severity ${test.severity}, error if count ${test.errorIf}, warn if count ${test.warnIf}`,
    ].join('\n');
    pending.push({ file: path.join(rootDir, relative), sql: test.sql, text: (formatted) => `${header}\n${formatted}\n` });
  }
  // Synchronous writes: thousands of small files finish sooner in a loop than queued on libuv's four threads.
  for (const dir of new Set(pending.map((p) => path.dirname(p.file)))) mkdirSync(dir, { recursive: true });
  const formatted = format ? await formatAll(pending.map((p) => p.sql)) : pending.map((p) => p.sql);
  pending.forEach((p, i) => writeFileSync(p.file, p.text(formatted[i] as string)));
  return { summary: { written: pending.length, unchanged }, written };
}

export async function writeManifest(
  project: CompiledProject,
  rootDir: string,
  targetDir: string,
  meta: ManifestMetadata,
  parity?: Readonly<Record<string, unknown>>,
  contracts?: ContractBindings,
  tests?: readonly DataTest[],
): Promise<string> {
  const file = path.join(rootDir, targetDir, 'manifest.json');
  await mkdir(path.dirname(file), { recursive: true });
  // Compact: at 10,000 models indentation alone doubles the time to write it.
  await writeFile(file, JSON.stringify(buildManifest(project, meta, parity, contracts, tests)));
  return file;
}
