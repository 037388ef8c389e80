// `charter import-dbt`: dbt_project.yml to project.yml, with every setting that does not carry named at its line.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDbtProject } from '../../src/load/import-dbt.js';
import { charter, fixtureCopy, writeFiles } from '../helpers/project.js';

const DBT_PROJECT = `name: 'Jaffle-Shop'
version: '2.1.0'
config-version: 2
profile: jaffle
model-paths: ["transform", "more_models"]
seed-paths: ["data"]
macro-paths: ["macros"]
vars:
  start_date: '2020-01-01'
  Jaffle-Shop:
    currency: EUR
  dbt_utils:
    surrogate_key_treat_nulls_as_empty_strings: true
on-run-start: ["select 1"]
models:
  Jaffle-Shop:
    +materialized: view
    +tags: [jaffle]
    staging:
      +schema: stg
      finance:
        +materialized: incremental
        +on_schema_change: append_new_columns
    marts:
      +materialized: materialized_view
  dbt_utils:
    +enabled: false
seeds:
  Jaffle-Shop:
    +schema: raw
    +tags: [raw]
    +column_types: {zip: varchar(5)}
`;

describe('dbt_project.yml to project.yml', () => {
  const imported = importDbtProject(DBT_PROJECT, 'dbt_project.yml', ['marts', 'staging']);
  const noteAt = (text: string) => imported.notes.find((n) => n.message.includes(text));

  it('carries name, version, paths, vars and a local target', () => {
    expect(imported.config).toMatchObject({
      name: 'jaffle_shop',
      version: '2.1.0',
      default_target: 'dev',
      targets: { dev: { engine: 'duckdb', path: 'target/jaffle_shop.duckdb' } },
      paths: { models: 'transform', seeds: 'data' },
      vars: { start_date: '2020-01-01', currency: 'EUR' },
      seeds: { schema: 'raw', tags: ['raw'] },
    });
    // macros is charter's default folder already.
    expect(imported.config.paths).not.toHaveProperty('macros');
  });

  it('turns folder configs into per-folder defaults, the project-wide ones pushed into each top folder', () => {
    expect(imported.config.models).toEqual({
      staging: { materialized: 'view', tags: ['jaffle'], schema: 'stg' },
      'staging/finance': { materialized: 'incremental' },
      marts: { materialized: 'view', tags: ['jaffle'] },
    });
  });

  it('names each setting it could not carry at its line in dbt_project.yml', () => {
    expect(noteAt('became `jaffle_shop`')?.location).toMatchObject({ file: 'dbt_project.yml', line: 1 });
    expect(noteAt('profile `jaffle`')?.location.line).toBe(4);
    expect(noteAt('kept `transform`, not `more_models`')?.location.line).toBe(5);
    expect(noteAt('vars.dbt_utils')?.location.line).toBe(12);
    expect(noteAt('on-run-start')?.location.line).toBe(14);
    expect(noteAt('+on_schema_change')?.location.line).toBe(23);
    expect(noteAt('materialized_view')?.location.line).toBe(25);
    expect(noteAt('configs of package `dbt_utils`')?.location.line).toBe(26);
    expect(noteAt('+column_types')?.location.line).toBe(32);
    expect(noteAt('config-version')?.location.line).toBe(3);
    // Carried, with the difference said: dbt would prefix the target's schema.
    expect(noteAt('<target schema>_stg')?.location.line).toBe(20);
  });

  it('writes project.yml beside dbt_project.yml, and will not overwrite one without --force', async () => {
    const dir = fixtureCopy('dbt-shop');
    const first = await charter(['import-dbt', dir], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/dbt_project\.yml:24:7: not carried: models: marts \+persist_docs/);
    expect(existsSync(path.join(dir, 'project.yml'))).toBe(true);
    const again = await charter(['import-dbt', dir], dir);
    expect(again.code).not.toBe(0);
    expect(again.stderr + again.stdout).toMatch(/project\.yml exists[\s\S]*--force/);
    writeFiles(dir, { 'project.yml': 'stale' });
    expect((await charter(['import-dbt', dir, '--force'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'project.yml'), 'utf8')).toMatch(/^name: dbt_shop$/m);
  });

  it('refuses a folder that is not a dbt project', async () => {
    const dir = fixtureCopy('tiny');
    const r = await charter(['import-dbt', dir], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/no dbt_project\.yml/);
  });
});
