// Reuse of earlier renders by content hash, so an unchanged project compiles without Nunjucks.
import { sha256, stableHash } from '../project/hash.js';
import type { ModelFile } from '../load/project-files.js';

export interface CachedRender {
  readonly sql: string;
  readonly incrementalSql?: string;
  readonly refs: readonly string[];
  readonly sources: ReadonlyArray<{ source: string; table: string }>;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Everything outside a model's own text that can change what it renders to. */
export function renderContextHash(context: {
  engine: string;
  targetName: string;
  vars: unknown;
  sources: ReadonlyMap<string, string>;
  macrosHash: string;
  charterVersion: string;
  /** Allowed env_var() values, when project.yml allows any. */
  env?: ReadonlyArray<readonly [string, string]>;
  /** Whatever decides relation names, which this.* and target.* print. */
  relations?: string;
}): string {
  // The format of cached renders: 2 since source() renders a placeholder too; 3 since templates render sandboxed, so
  // nothing rendered before the sandbox (a secret a template read, say) is reused.
  return stableHash({ ...context, format: 3, sources: [...context.sources].sort() });
}

export function renderKey(model: ModelFile, contextHash: string): string {
  return sha256(`${model.rawHash}:${model.path}:${contextHash}`);
}

export class RenderCache {
  private readonly used = new Map<string, CachedRender>();
  private changed = false;

  constructor(private readonly previous: ReadonlyMap<string, CachedRender> = new Map()) {}

  get(key: string): CachedRender | undefined {
    const hit = this.previous.get(key);
    if (hit) this.used.set(key, hit);
    return hit;
  }

  set(key: string, value: CachedRender): void {
    this.used.set(key, value);
    this.changed = true;
  }

  /** Entries touched by this compile; stale ones drop out. Undefined when nothing needs writing. */
  entriesToSave(): Map<string, CachedRender> | undefined {
    return this.changed || this.used.size !== this.previous.size ? this.used : undefined;
  }
}
