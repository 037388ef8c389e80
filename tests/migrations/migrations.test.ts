// Versioned migrations (migrations/V*, R*, A*) on the DuckDB target, through the real command in this process:
// order, history, checksum drift refused until repair, a version missing in the middle, dry run, a failing script.
import path from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../src/render/split-statements.js';
import { charter, fixtureCopy } from '../helpers/project.js';
import { queryWarehouse } from '../helpers/warehouse.js';

const HISTORY = 'select kind, version, script, success from "shop"."OPS".charter_migrations order by installed_rank';
const history = async (dir: string) => (await queryWarehouse(dir, HISTORY)).map((r) => `${r['script']}${r['success'] ? '' : ' (failed)'}`);
const printed = (run: { stdout: string; stderr: string }) => `${run.stdout}\n${run.stderr}`;

const SCRIPTS = {
  'migrations/V1__audit_schema.sql': 'create schema if not exists "shop"."AUDIT";\ncreate table "shop"."AUDIT".extracts (id integer, note varchar);\n',
  'migrations/V2__first_note.sql': `insert into "shop"."AUDIT".extracts values (2, '{{ var("note", "two; with a semicolon") }}');\n`,
  // Version 10 sorts after 2: versions compare as numbers, part by part.
  'migrations/V10__tenth_note.sql': `insert into "shop"."AUDIT".extracts values (10, 'ten');\n`,
  'migrations/R__notes_view.sql': 'create or replace view "shop"."AUDIT".notes as select note from "shop"."AUDIT".extracts;\n',
  'migrations/A__count_notes.sql': 'insert into "shop"."AUDIT".extracts select 100 + count(*), \'every run\' from "shop"."AUDIT".extracts;\n',
};

describe('charter migrate', () => {
  it('runs V scripts in version order, then R, then A; again only what is due, and a changed R', async () => {
    const dir = fixtureCopy('shop', SCRIPTS);
    const first = await charter(['migrate'], dir);
    expect(first.code, printed(first)).toBe(0);
    expect(await history(dir)).toEqual(['migrations/V1__audit_schema.sql', 'migrations/V2__first_note.sql', 'migrations/V10__tenth_note.sql', 'migrations/R__notes_view.sql', 'migrations/A__count_notes.sql']);
    expect(await queryWarehouse(dir, 'select id, note from "shop"."AUDIT".extracts order by id')).toEqual([
      { id: 2, note: 'two; with a semicolon' },
      { id: 10, note: 'ten' },
      { id: 102, note: 'every run' },
    ]);

    expect((await charter(['migrate'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'migrations/R__notes_view.sql'), 'create or replace view "shop"."AUDIT".notes as select id, note from "shop"."AUDIT".extracts;\n');
    expect((await charter(['migrate'], dir)).code).toBe(0);
    expect((await history(dir)).slice(5)).toEqual(['migrations/A__count_notes.sql', 'migrations/R__notes_view.sql', 'migrations/A__count_notes.sql']);
    const [rows] = await queryWarehouse(dir, 'select count(*)::int as n, count(distinct checksum)::int as checksums from "shop"."OPS".charter_migrations where kind = \'repeatable\'');
    expect(rows).toEqual({ n: 2, checksums: 2 });
  });

  it('refuses an applied V script that changed, runs nothing, and goes on after repair', async () => {
    const dir = fixtureCopy('shop', SCRIPTS);
    expect((await charter(['migrate'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'migrations/V2__first_note.sql'), `${SCRIPTS['migrations/V2__first_note.sql']}-- edited after it ran\n`);
    const refused = await charter(['migrate'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/migrations\/V2__first_note\.sql:1:1 error\[migration\.drift\]: .* has changed since it was applied/);
    expect(refused.stderr).toContain('charter migrate repair');
    expect(await history(dir)).toHaveLength(5);

    const status = await charter(['migrate', 'status'], dir);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/drifted +versioned +2\s+migrations\/V2__first_note\.sql/);

    expect((await charter(['migrate', 'repair'], dir)).code).toBe(0);
    const after = await charter(['migrate'], dir);
    expect(after.code, printed(after)).toBe(0);
    expect(await history(dir)).toHaveLength(6);
  });

  it('reports a version missing in the middle and an applied script gone from disk', async () => {
    const dir = fixtureCopy('shop', SCRIPTS);
    expect((await charter(['migrate'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'migrations/V3__late_arrival.sql'), 'select 3;\n');
    rmSync(path.join(dir, 'migrations/V1__audit_schema.sql'));
    const status = await charter(['migrate', 'status'], dir);
    expect(status.code).toBe(1);
    expect(printed(status)).toMatch(/migrations\/V3__late_arrival\.sql:1:1 error\[migration\.drift\]: .* is pending, but version 10 is already applied: a version is missing in the middle/);
    expect(printed(status)).toMatch(/version 1 \(migrations\/V1__audit_schema\.sql\) is applied but no longer in migrations\//);
    expect((await charter(['migrate'], dir)).code).toBe(1);
    // repair forgets the missing version but cannot reorder one: it refuses, naming the script.
    const repair = await charter(['migrate', 'repair'], dir);
    expect(repair.code).toBe(1);
    expect(repair.stderr).toMatch(/migrations\/V3__late_arrival\.sql:1:1 error\[migration\.drift\][\s\S]*repair does not reorder versions/);
  });

  it('--dry-run prints each script rendered and runs none', async () => {
    const dir = fixtureCopy('shop', SCRIPTS);
    const dry = await charter(['migrate', '--dry-run', '--vars', '{"note": "from the command line"}'], dir);
    expect(dry.code, printed(dry)).toBe(0);
    expect(dry.stdout).toContain("would run migrations/V2__first_note.sql:\ninsert into \"shop\".\"AUDIT\".extracts values (2, 'from the command line');");
    expect(dry.stdout.indexOf('V10__tenth_note')).toBeGreaterThan(dry.stdout.indexOf('V2__first_note'));
    expect(await queryWarehouse(dir, 'select count(*)::int as n from "shop"."OPS".charter_migrations')).toEqual([{ n: 0 }]);
    expect(await queryWarehouse(dir, "select count(*)::int as n from information_schema.schemata where schema_name = 'AUDIT'")).toEqual([{ n: 0 }]);
  });

  it('a failing statement stops the migrate, located at its line; the script is recorded failed and runs again once fixed', async () => {
    const dir = fixtureCopy('shop', {
      'migrations/V1__ok.sql': 'create schema if not exists "shop"."AUDIT";\n',
      'migrations/V2__broken.sql': 'create table "shop"."AUDIT".t (id integer);\n\ninsert into "shop"."AUDIT".missing values (1);\n',
      'migrations/V3__after.sql': 'select 3;\n',
    });
    const failed = await charter(['migrate'], dir);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/migrations\/V2__broken\.sql:3:1 error\[migration\.failed\]: migrations\/V2__broken\.sql failed: .*missing/);
    expect(await history(dir)).toEqual(['migrations/V1__ok.sql', 'migrations/V2__broken.sql (failed)']);
    writeFileSync(path.join(dir, 'migrations/V2__broken.sql'), 'create table if not exists "shop"."AUDIT".t (id integer);\ninsert into "shop"."AUDIT".t values (1);\n');
    const fixed = await charter(['migrate'], dir);
    expect(fixed.code, printed(fixed)).toBe(0);
    expect(await history(dir)).toEqual(['migrations/V1__ok.sql', 'migrations/V2__broken.sql (failed)', 'migrations/V2__broken.sql', 'migrations/V3__after.sql']);
  });

  it('a file not named as a migration, or two files for one version, is an error before anything runs', async () => {
    const dir = fixtureCopy('shop', { 'migrations/roles.sql': 'select 1;', 'migrations/V1__a.sql': 'select 1;', 'migrations/V1_0__b.sql': 'select 1;' });
    const run = await charter(['migrate'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/migrations\/roles\.sql:1:1 error\[migration\.invalid\]: `roles\.sql` is not named as a migration/);
    expect(run.stderr).toMatch(/migrations\/V1__a\.sql:1:1 error\[migration\.invalid\]: version 1 is used by/);
  });
});

describe('splitting a script into statements', () => {
  it('splits at semicolons outside quotes, quoted names, $$ bodies and comments, with each statement\'s line', () => {
    const script = [
      "insert into t values ('a;b', 'it''s');",
      '-- a comment; not a statement',
      'create table "odd;name" (x int);',
      'create function f() returns int as $$ select 1; $$;',
      '/* block; */ select 2',
    ].join('\n');
    expect(splitStatements(script)).toEqual([
      { sql: "insert into t values ('a;b', 'it''s')", line: 1 },
      { sql: '-- a comment; not a statement\ncreate table "odd;name" (x int)', line: 2 },
      { sql: 'create function f() returns int as $$ select 1; $$', line: 4 },
      { sql: '/* block; */ select 2', line: 5 },
    ]);
  });
});
