// The compile stage's I/O edge: compiled SQL files and manifest.json, rewriting only what changed.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errorAt, writeFileAtomic } from '../load/atomic-file.js';
import { sha256 } from '../project/hash.js';
import type { CompiledProject } from '../project/nodes.js';
import type { DataTest } from '../render/render-contract-tests.js';
import type { ContractBindings } from '../render/bind-contracts.js';
import type { LoadedSemanticView } from '../load/load-semantic-views.js';
import { compiledFileText, compiledSqlOf } from './compiled-files.js';
import { formatAll } from './format-pool.js';
import { buildManifest, type ManifestMetadata } from './manifest.js';
import { parseNodeId } from '../project/node-id.js';
import { manifestDigest, type ManifestDigest } from './compile-fingerprint.js';
import { claimTargetDir } from './target-folder.js';

export interface WriteSummary {
  readonly written: number;
  readonly unchanged: number;
}

/**
 * What compile state records per compiled file: the hash that stands for its content and the file's size in bytes.
 * A file whose size differs (a write cut short by a full disk, an edit) is written again rather than trusted.
 */
const stamp = (key: string, bytes: number): string => `${key}:${bytes}`;

/** The size each written file had, from what compile state records: the compile fingerprint checks them. */
export function compiledFileSizes(written: ReadonlyMap<string, string>): Record<string, number> {
  return Object.fromEntries([...written].map(([file, recorded]) => [file, Number(recorded.slice(recorded.lastIndexOf(':') + 1))]));
}

export async function writeCompiledFiles(
  project: CompiledProject,
  rootDir: string,
  targetDir: string,
  previous: ReadonlyMap<string, string>,
  tests: readonly DataTest[] = [],
  format = true,
  /** Files written as they are (not formatted), by path under target/compiled/: the governance script. */
  extras: ReadonlyArray<{ readonly path: string; readonly text: string }> = [],
): Promise<{ summary: WriteSummary; written: Map<string, string> }> {
  const written = new Map<string, string>();
  const pending: Array<{ relative: string; key: string; file: string; sql: string; text: (formatted: string) => string }> = [];
  let unchanged = 0;
  const intact = (relative: string, key: string): boolean => {
    const recorded = previous.get(relative);
    if (!recorded?.startsWith(`${key}:`)) return false;
    try {
      return statSync(path.join(rootDir, relative)).size === Number(recorded.slice(key.length + 1));
    } catch {
      return false;
    }
  };
  for (const node of project.nodes.values()) {
    if (node.kind !== 'model') continue;
    const variants: Array<'full' | 'incremental'> = node.incrementalSql === undefined ? ['full'] : ['full', 'incremental'];
    for (const variant of variants) {
      const relative = path.posix.join(targetDir, 'compiled', variant === 'full' ? node.path : node.path.replace(/\.sql$/, '.incremental.sql'));
      // The compiled hash stands for the file's content, so an unchanged model skips formatting and writing.
      const key = sha256(`${variant}:${node.compiledHash}:${node.relationName}:${node.config.materialized}:${format}`);
      if (intact(relative, key)) {
        written.set(relative, previous.get(relative) as string);
        unchanged++;
        continue;
      }
      pending.push({
        relative,
        key,
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
    if (intact(relative, key)) {
      written.set(relative, previous.get(relative) as string);
      unchanged++;
      continue;
    }
    const header = [
      `-- charter test: ${test.id}`,
      `-- contract: ${test.contract} (${test.location.file}:${test.location.line})`,
      `-- returns failing rows; severity ${test.severity}, error if count ${test.errorIf}, warn if count ${test.warnIf}`,
    ].join('\n');
    pending.push({ relative, key, file: path.join(rootDir, relative), sql: test.sql, text: (formatted) => `${header}\n${formatted}\n` });
  }
  const verbatim: typeof pending = [];
  for (const extra of extras) {
    const relative = path.posix.join(targetDir, 'compiled', extra.path);
    const key = sha256(`verbatim:${extra.text}`);
    if (intact(relative, key)) {
      written.set(relative, previous.get(relative) as string);
      unchanged++;
    } else verbatim.push({ relative, key, file: path.join(rootDir, relative), sql: extra.text, text: (t) => t });
  }
  claimTargetDir(path.join(rootDir, targetDir));
  // Synchronous writes: thousands of small files finish sooner in a loop than queued on libuv's four threads. Written
  // in place, not through a rename (that would double a cold compile's write time): a file cut short is caught by
  // its recorded size next time, and the fingerprint is gone before the first write, so nothing trusts it meanwhile.
  for (const dir of new Set([...pending, ...verbatim].map((p) => path.dirname(p.file)))) mkdirSync(dir, { recursive: true });
  const formatted = [...(format ? await formatAll(pending.map((p) => p.sql)) : pending.map((p) => p.sql)), ...verbatim.map((p) => p.sql)];
  [...pending, ...verbatim].forEach((p, i) => {
    const text = Buffer.from(p.text(formatted[i] as string));
    try {
      writeFileSync(p.file, text);
    } catch (e) {
      throw errorAt(e, p.file);
    }
    written.set(p.relative, stamp(p.key, text.length));
  });
  return { summary: { written: pending.length + verbatim.length, unchanged }, written };
}

/** Writes manifest.json (whole or not at all); returns its path and digest, which the compile fingerprint records. */
export async function writeManifest(
  project: CompiledProject,
  rootDir: string,
  targetDir: string,
  meta: ManifestMetadata,
  parity?: Readonly<Record<string, unknown>>,
  contracts?: ContractBindings,
  tests?: readonly DataTest[],
  semanticViews?: readonly LoadedSemanticView[],
): Promise<{ file: string; digest: ManifestDigest }> {
  const file = path.join(rootDir, targetDir, 'manifest.json');
  claimTargetDir(path.dirname(file));
  // Compact: at 10,000 models indentation alone doubles the time to write it.
  const bytes = Buffer.from(JSON.stringify(buildManifest(project, meta, parity, contracts, tests, semanticViews)));
  writeFileAtomic(file, bytes);
  const digest = manifestDigest(bytes);
  if (!digest) throw new Error('manifest.json does not start with its run id and time');
  return { file, digest };
}
