// The loopback server behaves like Snowflake where charter's Snowflake adapter depends on it, shown through the real
// snowflake-sdk: result metadata and types, charter's translation of Snowflake SQL, DDL outside transactions, SWAP
// WITH and RENAME, governance kept per relation object and per policy object (described, referenced, moved, renamed,
// dropped), INFORMATION_SCHEMA, SHOW and DESCRIBE, array binds in bulk, and cancelling a running statement.
import type { Binds, Connection, ConnectionOptions, RowStatement, SnowflakeError } from 'snowflake-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';

// The driver pulls in the AWS SDK, which warns on Node 20 when it loads; the variable must be set before the import.
const quietAws = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const snowflake = (await import('snowflake-sdk')).default;
if (quietAws === undefined) delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
snowflake.configure({ logLevel: 'OFF' });

let server: LoopbackServer;
let db: Connection;

function connect(): Promise<Connection> {
  const connection = snowflake.createConnection({
    accessUrl: server.url, account: 'testacct', username: 'loop', password: 'p', database: 'LOOP', schema: 'PUBLIC', warehouse: 'WH', role: 'R',
  } as ConnectionOptions);
  return new Promise((resolve, reject) => connection.connect((err, conn) => (err ? reject(err) : resolve(conn))));
}

interface Executed {
  readonly statement: RowStatement;
  readonly rows: Record<string, unknown>[];
}

function execute(sqlText: string, binds?: Binds, connection = db): Promise<Executed> {
  return new Promise((resolve, reject) => {
    connection.execute({
      sqlText, binds,
      complete: (err, statement, rows) => (err ? reject(err) : resolve({ statement: statement as RowStatement, rows: (rows ?? []) as Record<string, unknown>[] })),
    });
  });
}

const rowsOf = async (sql: string, binds?: Binds): Promise<Record<string, unknown>[]> => (await execute(sql, binds)).rows;
const failure = (sql: string): Promise<SnowflakeError> => execute(sql).then(() => { throw new Error(`expected ${sql} to fail`); }, (e: SnowflakeError) => e);

beforeAll(async () => {
  server = await startLoopbackServer();
  db = await connect();
  await execute('CREATE SCHEMA IF NOT EXISTS "LOOP"."S"');
});

afterAll(async () => {
  await new Promise<void>((resolve) => (db?.isUp() ? db.destroy(() => resolve()) : resolve()));
  await server?.close();
});

describe('result metadata', () => {
  it('upper-cases unquoted names, keeps quoted ones, and names an unaliased COUNT(*) as Snowflake does', async () => {
    const { statement } = await execute('select 1 as answer, 2 as "lowerCase", count(*) from (select 1)');
    expect(statement.getColumns()!.map((c) => c.getName())).toEqual(['ANSWER', 'lowerCase', 'COUNT(*)']);
  });

  it('types columns as Snowflake does: NUMBER(p,s), TEXT, TIMESTAMP_NTZ, DATE, VARIANT; counts are fixed with scale 0', async () => {
    const { statement, rows } = await execute(`
      select cast(10.5 as number(18,2)) as amount, 'x'::varchar as label, '2024-01-31 10:20:30'::timestamp_ntz as at,
             '2024-01-31'::date as day, parse_json('{"a": [1, 2]}') as doc, count(*) over () as n`);
    const columns = statement.getColumns()!;
    expect(columns.map((c) => c.getType())).toEqual(['fixed', 'text', 'timestamp_ntz', 'date', 'variant', 'fixed']);
    expect([columns[0]!.getPrecision(), columns[0]!.getScale(), columns[5]!.getScale()]).toEqual([18, 2, 0]);
    expect(rows[0]).toMatchObject({ AMOUNT: 10.5, LABEL: 'x', DOC: { a: [1, 2] }, N: 1 });
    expect((rows[0]!.AT as Date).toISOString()).toBe('2024-01-31T10:20:30.000Z');
  });


  it("echoes the session's output formats in each result, as the driver formats fetched strings by them", async () => {
    await execute(`ALTER SESSION SET TIMESTAMP_NTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF6'`);
    const rows = await new Promise<Record<string, unknown>[]>((resolve, reject) => db.execute({
      sqlText: `select '2024-01-31 10:20:30.123456'::timestamp_ntz as at`, fetchAsString: ['Date'],
      complete: (err, _s, r) => (err ? reject(err) : resolve(r as Record<string, unknown>[])),
    }));
    await execute('ALTER SESSION UNSET TIMESTAMP_NTZ_OUTPUT_FORMAT');
    expect(rows).toEqual([{ AT: '2024-01-31 10:20:30.123456' }]);
  });
});

describe("Snowflake SQL runs through charter's translator", () => {
  it('IFF, DIV0, DATEADD and NVL, with binds that the translation repeats', async () => {
    const rows = await rowsOf("select iff(? > 0, 'pos', 'neg') as sign, div0(?, ?) as ratio, dateadd(day, 1, '2024-01-31'::date) as next, nvl(null, 'n') as v", [3, 1, 0]);
    expect(rows[0]).toMatchObject({ SIGN: 'pos', RATIO: 0, V: 'n' });
    expect((rows[0]!.NEXT as Date).toISOString()).toBe('2024-02-01T00:00:00.000Z');
  });

  it("GENERATOR and SEQ4 (which charter's local target refuses) are emulated; a construct the translator refuses is a compilation error", async () => {
    expect(await rowsOf('select count(*) as n, max(seq4()) as last from table(generator(rowcount => 5))')).toEqual([{ N: 5, LAST: 4 }]);
    expect(await failure('select seq4() as n from (select 1)')).toMatchObject({ code: '000002', sqlState: '0A000' });
    expect(String((await failure('select from where')).code)).toBe('001003');
  });
});

describe('DDL as Snowflake runs it', () => {
  it('DDL commits the open transaction and stands on its own: BEGIN; INSERT; CREATE; ROLLBACK keeps the table and the insert', async () => {
    await execute('create or replace table "LOOP"."S"."TX" (id number(38,0))');
    await execute('begin');
    await execute('insert into "LOOP"."S"."TX" values (1)');
    await execute('create table "LOOP"."S"."MADE_IN_TX" (id integer)');
    await execute('rollback');
    expect(await rowsOf(`select count(*) as n from information_schema.tables where table_name = 'MADE_IN_TX'`)).toEqual([{ N: 1 }]);
    // DML alone still rolls back.
    await execute('begin');
    await execute('insert into "LOOP"."S"."TX" values (2)');
    await execute('rollback');
    expect(await rowsOf('select id from "LOOP"."S"."TX" order by id')).toEqual([{ ID: 1 }]);
    // COMMIT and ROLLBACK with nothing open are no-ops, as on Snowflake.
    await execute('commit');
    await execute('rollback');
  });

  it('COPY GRANTS, SECURE, TRANSIENT and DYNAMIC tables are accepted; a dynamic table is a table built from its SELECT', async () => {
    await execute('CREATE OR REPLACE TABLE "LOOP"."S"."BASE" AS select 1 as id, 10.5::number(10,2) as amount union all select 2, 20');
    await execute('CREATE OR REPLACE SECURE VIEW "LOOP"."S"."V_BASE" COPY GRANTS AS\n-- a header comment\nselect id from "LOOP"."S"."BASE"');
    await execute('CREATE OR REPLACE TRANSIENT TABLE "LOOP"."S"."T_BASE" COPY GRANTS AS select * from "LOOP"."S"."BASE"');
    await execute(`CREATE OR REPLACE DYNAMIC TABLE "LOOP"."S"."D_BASE"\nTARGET_LAG = '1 hour' WAREHOUSE = "WH" COPY GRANTS AS\nselect sum(amount) as total from "LOOP"."S"."BASE"`);
    expect(await rowsOf('select total from "LOOP"."S"."D_BASE"')).toEqual([{ TOTAL: 30.5 }]);
    expect(await rowsOf(`SELECT TABLE_NAME, TABLE_TYPE, IS_TRANSIENT, IS_DYNAMIC FROM "LOOP".INFORMATION_SCHEMA.TABLES
      WHERE TABLE_SCHEMA = 'S' AND TABLE_NAME LIKE '%BASE' ORDER BY TABLE_NAME`)).toEqual([
      { TABLE_NAME: 'BASE', TABLE_TYPE: 'BASE TABLE', IS_TRANSIENT: 'NO', IS_DYNAMIC: 'NO' },
      { TABLE_NAME: 'D_BASE', TABLE_TYPE: 'BASE TABLE', IS_TRANSIENT: 'NO', IS_DYNAMIC: 'YES' },
      { TABLE_NAME: 'T_BASE', TABLE_TYPE: 'BASE TABLE', IS_TRANSIENT: 'YES', IS_DYNAMIC: 'NO' },
      { TABLE_NAME: 'V_BASE', TABLE_TYPE: 'VIEW', IS_TRANSIENT: null, IS_DYNAMIC: 'NO' },
    ]);
    expect(await rowsOf('SHOW DYNAMIC TABLES IN SCHEMA "LOOP"."S"')).toMatchObject([{ name: 'D_BASE', target_lag: '1 hour', warehouse: 'WH' }]);
    expect(await rowsOf(`SHOW VIEWS LIKE 'v_%' IN SCHEMA "LOOP"."S"`)).toMatchObject([{ name: 'V_BASE', is_secure: 'true' }]);
  });

  it('ALTER TABLE a SWAP WITH b exchanges the two; RENAME TO takes a three-part name in the same schema', async () => {
    await execute('CREATE OR REPLACE TABLE "LOOP"."S"."LIVE" AS select \'old\' as v');
    await execute('CREATE OR REPLACE TABLE "LOOP"."S"."LIVE__STAGED" AS select \'new\' as v');
    await execute('ALTER TABLE "LOOP"."S"."LIVE__STAGED" SWAP WITH "LOOP"."S"."LIVE"');
    expect([await rowsOf('select v from "LOOP"."S"."LIVE"'), await rowsOf('select v from "LOOP"."S"."LIVE__STAGED"')]).toEqual([[{ V: 'new' }], [{ V: 'old' }]]);
    await execute('DROP TABLE IF EXISTS "LOOP"."S"."LIVE__STAGED"');
    await execute('CREATE OR REPLACE TABLE "LOOP"."S"."FRESH__STAGED" AS select 1 as v');
    await execute('ALTER TABLE "LOOP"."S"."FRESH__STAGED" RENAME TO "LOOP"."S"."FRESH"');
    expect(await rowsOf('select v from "LOOP"."S"."FRESH"')).toEqual([{ V: 1 }]);
    expect(await failure('ALTER TABLE "LOOP"."S"."FRESH" RENAME TO "LOOP"."PUBLIC"."FRESH"')).toMatchObject({ code: '000002' });
    expect(await failure('ALTER TABLE "LOOP"."S"."NOPE" SWAP WITH "LOOP"."S"."FRESH"')).toMatchObject({ code: '002003', sqlState: '42S02' });
  });

  it('schema evolution: ADD COLUMN, ALTER COLUMN ... SET DATA TYPE and DROP COLUMN take Snowflake types', async () => {
    await execute('CREATE OR REPLACE TABLE "LOOP"."S"."EVOLVING" ("ID" NUMBER(38,0))');
    await execute('ALTER TABLE "LOOP"."S"."EVOLVING" ADD COLUMN "AMOUNT" NUMBER(10,2)');
    await execute('ALTER TABLE "LOOP"."S"."EVOLVING" ADD COLUMN "GONE" VARCHAR');
    await execute('ALTER TABLE "LOOP"."S"."EVOLVING" ALTER COLUMN "AMOUNT" SET DATA TYPE NUMBER(12,2)');
    await execute('ALTER TABLE "LOOP"."S"."EVOLVING" DROP COLUMN "GONE"');
    expect((await rowsOf('DESC TABLE "LOOP"."S"."EVOLVING"')).map((r) => [r.name, r.type])).toEqual([['ID', 'NUMBER(38,0)'], ['AMOUNT', 'NUMBER(12,2)']]);
  });

  it("an incremental run's DELETE ... WHERE (k) IN (SELECT ...), INSERT ... SELECT and MERGE", async () => {
    await execute('CREATE OR REPLACE TABLE "LOOP"."S"."EVENTS" AS select 1 as id, \'a\' as v union all select 2, \'b\'');
    await execute('CREATE OR REPLACE TABLE "LOOP"."S"."EVENTS__STAGED" AS select 2 as id, \'B\' as v union all select 3, iff(true, \'c\', \'x\')');
    const deleted = await execute('DELETE FROM "LOOP"."S"."EVENTS" WHERE ("ID") IN (SELECT "ID" FROM "LOOP"."S"."EVENTS__STAGED")');
    const inserted = await execute('INSERT INTO "LOOP"."S"."EVENTS" ("ID", "V") SELECT "ID", "V" FROM "LOOP"."S"."EVENTS__STAGED"');
    expect([deleted.statement.getNumUpdatedRows(), inserted.statement.getNumUpdatedRows()]).toEqual([1, 2]);
    const merged = await execute(`MERGE INTO "LOOP"."S"."EVENTS" AS t USING (SELECT 3 AS id, 'C' AS v) AS s ON t.id = s.id
      WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v)`);
    expect(merged.statement.getNumUpdatedRows()).toBe(1);
    expect(await rowsOf('select id, v from "LOOP"."S"."EVENTS" order by id')).toEqual([{ ID: 1, V: 'a' }, { ID: 2, V: 'B' }, { ID: 3, V: 'C' }]);
  });
});

describe('governance: kept, not enforced, attached to the relation object', () => {
  it("policies, tags and grants follow their relation through SWAP WITH and RENAME; Snowflake's refusals are kept", async () => {
    const mask = '"LOOP"."GOV"."MASK"';
    const table = (name: string) => `"LOOP"."S"."${name}"`;
    for (const sql of [
      'CREATE SCHEMA IF NOT EXISTS "LOOP"."GOV"',
      "CREATE ROLE IF NOT EXISTS \"READER\" COMMENT = 'reads'",
      'CREATE ROLE IF NOT EXISTS "READER"',
      'GRANT ROLE "READER" TO ROLE "SYSADMIN"',
      "CREATE TAG IF NOT EXISTS \"LOOP\".\"GOV\".\"PII\" ALLOWED_VALUES 'pii', 'phi' COMMENT = 'personal'",
      `CREATE MASKING POLICY IF NOT EXISTS ${mask} AS ("VAL" VARCHAR) RETURNS VARCHAR ->\nCASE WHEN IS_ROLE_IN_SESSION('READER') THEN val ELSE '*' END\nCOMMENT = 'm'`,
      `ALTER MASKING POLICY ${mask} SET BODY ->\n'*'`,
      'CREATE ROW ACCESS POLICY IF NOT EXISTS "LOOP"."GOV"."ROWS" AS ("K" VARCHAR) RETURNS BOOLEAN ->\nTRUE',
      `ALTER TAG "LOOP"."GOV"."PII" SET MASKING POLICY ${mask} FORCE`,
      `CREATE OR REPLACE TABLE ${table('G_NEW')} AS select 'a' as k, 'x@y' as email`,
      `ALTER TABLE ${table('G_NEW')} MODIFY COLUMN "EMAIL" SET TAG "LOOP"."GOV"."PII" = 'pii'`,
      `ALTER TABLE ${table('G_NEW')} MODIFY COLUMN "EMAIL" SET MASKING POLICY ${mask} FORCE`,
      `ALTER TABLE ${table('G_NEW')} ADD ROW ACCESS POLICY "LOOP"."GOV"."ROWS" ON ("K")`,
      `GRANT SELECT ON TABLE ${table('G_NEW')} TO ROLE "READER"`,
      `CREATE OR REPLACE TABLE ${table('G_OLD')} AS select 'b' as k, 'z' as email`,
      `ALTER TABLE ${table('G_NEW')} SWAP WITH ${table('G_OLD')}`,
      `CREATE OR REPLACE VIEW ${table('G_V__STAGED')} AS select * from ${table('G_OLD')}`,
      `ALTER VIEW ${table('G_V__STAGED')} MODIFY COLUMN "EMAIL" SET MASKING POLICY ${mask} FORCE`,
      `ALTER VIEW ${table('G_V__STAGED')} RENAME TO ${table('G_V')}`,
      `CREATE PROJECTION POLICY IF NOT EXISTS "LOOP"."GOV"."PROJ" AS () RETURNS PROJECTION_CONSTRAINT ->\nCASE WHEN IS_ROLE_IN_SESSION('READER') THEN PROJECTION_CONSTRAINT(ALLOW => TRUE)\nELSE PROJECTION_CONSTRAINT(ALLOW => FALSE, ENFORCEMENT => 'FAIL') END`,
      `ALTER PROJECTION POLICY "LOOP"."GOV"."PROJ" SET BODY ->\nPROJECTION_CONSTRAINT(ALLOW => FALSE)`,
      `ALTER TABLE ${table('G_OLD')} MODIFY COLUMN "K" SET PROJECTION POLICY "LOOP"."GOV"."PROJ" FORCE`,
      'GRANT USAGE ON DATABASE "LOOP" TO ROLE "READER"',
      'GRANT USAGE ON SCHEMA "LOOP"."S" TO ROLE "READER"',
    ]) await execute(sql);
    const { governance } = server;
    expect(governance.relations.get('LOOP.S.G_OLD')).toEqual({
      masking: new Map([['EMAIL', 'LOOP.GOV.MASK']]), projection: new Map([['K', 'LOOP.GOV.PROJ']]), tags: new Map([['EMAIL', new Map([['LOOP.GOV.PII', 'pii']])]]),
      rowAccess: { policy: 'LOOP.GOV.ROWS', on: ['K'] }, grants: new Set(['READER']),
    });
    expect(governance.relations.has('LOOP.S.G_NEW')).toBe(false);
    expect(governance.relations.get('LOOP.S.G_V')?.masking.get('EMAIL')).toBe('LOOP.GOV.MASK');
    expect(governance.masking.get('LOOP.GOV.MASK')).toEqual({ args: [['VAL', 'VARCHAR']], returns: 'VARCHAR', body: "'*'" });
    expect(governance.projection.get('LOOP.GOV.PROJ')).toEqual({ args: [], returns: 'PROJECTION_CONSTRAINT', body: 'PROJECTION_CONSTRAINT(ALLOW => FALSE)' });
    expect([...governance.usage].map(([on, roles]) => [on, [...roles]])).toEqual([['DATABASE LOOP', ['READER']], ['SCHEMA LOOP.S', ['READER']]]);
    expect(governance.tags.get('LOOP.GOV.PII')?.masking.get('VARCHAR')).toBe('LOOP.GOV.MASK');
    expect((await rowsOf(`select email from ${table('G_OLD')}`))[0]).toEqual({ EMAIL: 'x@y' });

    const refused = async (sql: string): Promise<string> => (await failure(sql)).message;
    expect(await refused(`ALTER TABLE ${table('G_OLD')} ADD ROW ACCESS POLICY "LOOP"."GOV"."ROWS" ON ("K")`)).toMatch(/already has a row access policy/);
    expect(await refused(`ALTER TABLE ${table('G_OLD')} MODIFY COLUMN "EMAIL" SET MASKING POLICY ${mask}`)).toMatch(/already has a masking policy/);
    expect(await refused(`CREATE OR REPLACE MASKING POLICY ${mask} AS ("VAL" VARCHAR) RETURNS VARCHAR -> val`)).toMatch(/attached/);
    expect(await refused(`ALTER TABLE ${table('G_OLD')} MODIFY COLUMN "K" SET MASKING POLICY "LOOP"."GOV"."NOPE"`)).toMatch(/Masking policy 'LOOP.GOV.NOPE' does not exist/);
    expect(await refused(`ALTER VIEW ${table('G_OLD')} MODIFY COLUMN "K" SET TAG "LOOP"."GOV"."PII" = 'pii'`)).toMatch(/of type 'TABLE', not specified type 'VIEW'/);
    expect(await refused(`ALTER TABLE ${table('G_OLD')} MODIFY COLUMN "K" SET TAG "LOOP"."GOV"."PII" = 'secret'`)).toMatch(/does not allow the value 'secret'/);
    expect(await refused(`GRANT SELECT ON TABLE ${table('G_OLD')} TO ROLE "NOBODY"`)).toMatch(/Role 'NOBODY' does not exist/);
    expect(await refused(`ALTER TABLE ${table('G_OLD')} MODIFY COLUMN "K" SET PROJECTION POLICY "LOOP"."GOV"."PROJ"`)).toMatch(/already has a projection policy/);
    expect(await refused('GRANT USAGE ON SCHEMA "LOOP"."S" TO ROLE "NOBODY"')).toMatch(/Role 'NOBODY' does not exist/);
    // A replaced or dropped relation takes nothing attached to the old one.
    await execute(`CREATE OR REPLACE TABLE ${table('G_OLD')} AS select 1 as k`);
    await execute(`DROP VIEW ${table('G_V')}`);
    expect([governance.relations.has('LOOP.S.G_OLD'), governance.relations.has('LOOP.S.G_V')]).toEqual([false, false]);
    // The catalog tests below list schemas and tables.
    await execute(`DROP TABLE ${table('G_OLD')}`);
    await execute('DROP SCHEMA "LOOP"."GOV"');
  });
});

describe('governance: a policy object, its attachments moved, detached, dropped and renamed', () => {
  it('DESCRIBE ... POLICY and POLICY_REFERENCES read it back; moves by FORCE, DROP ..., ADD ... and RENAME keep every attachment', async () => {
    const gov = (name: string) => `"LOOP"."GOV2"."${name}"`;
    const t = '"LOOP"."S"."P_T"';
    for (const sql of [
      'CREATE SCHEMA IF NOT EXISTS "LOOP"."GOV2"',
      'CREATE ROLE IF NOT EXISTS "READER"',
      `CREATE TAG IF NOT EXISTS ${gov('PII')}`,
      `CREATE MASKING POLICY IF NOT EXISTS ${gov('MASK')} AS ("VAL" VARCHAR) RETURNS VARCHAR ->\n'*'`,
      `CREATE MASKING POLICY IF NOT EXISTS ${gov('MASK_NEXT')} AS ("VAL" VARCHAR, "CONSENT" BOOLEAN) RETURNS VARCHAR ->\nIFF(consent, val, '*')`,
      `CREATE ROW ACCESS POLICY IF NOT EXISTS ${gov('ROWS')} AS ("K" VARCHAR) RETURNS BOOLEAN ->\nTRUE`,
      `CREATE ROW ACCESS POLICY IF NOT EXISTS ${gov('ROWS_NEXT')} AS ("K" VARCHAR, "N" NUMBER(18,2)) RETURNS BOOLEAN ->\nTRUE`,
      `CREATE PROJECTION POLICY IF NOT EXISTS ${gov('PROJ')} AS () RETURNS PROJECTION_CONSTRAINT ->\nPROJECTION_CONSTRAINT(ALLOW => FALSE)`,
      `CREATE OR REPLACE TABLE ${t} AS select 'a' as k, 'x@y' as email, true as consent, CAST(1.5 AS NUMBER(18,2)) as n`,
      `ALTER TAG ${gov('PII')} SET MASKING POLICY ${gov('MASK')}`,
      `ALTER TABLE ${t} MODIFY COLUMN "EMAIL" SET TAG ${gov('PII')} = 'pii'`,
      `ALTER TABLE ${t} MODIFY COLUMN "EMAIL" SET MASKING POLICY ${gov('MASK')}`,
      `ALTER TABLE ${t} MODIFY COLUMN "N" SET PROJECTION POLICY ${gov('PROJ')}`,
      `ALTER TABLE ${t} ADD ROW ACCESS POLICY ${gov('ROWS')} ON ("K")`,
      `GRANT SELECT ON TABLE ${t} TO ROLE "READER"`,
    ]) await execute(sql);
    // DESCRIBE: arguments' types without parameters, the return type whole.
    expect(await rowsOf(`DESCRIBE MASKING POLICY ${gov('MASK_NEXT')}`)).toEqual([
      { name: 'MASK_NEXT', signature: '(VAL VARCHAR, CONSENT BOOLEAN)', return_type: 'VARCHAR(16777216)', body: "IFF(consent, val, '*')" },
    ]);
    expect((await rowsOf(`DESC ROW ACCESS POLICY ${gov('ROWS_NEXT')}`))[0]).toMatchObject({ signature: '(K VARCHAR, N NUMBER)', return_type: 'BOOLEAN' });
    expect((await rowsOf(`DESCRIBE PROJECTION POLICY ${gov('PROJ')}`))[0]).toMatchObject({ signature: '()', return_type: 'PROJECTION_CONSTRAINT' });
    expect(await failure(`DESCRIBE MASKING POLICY ${gov('NOPE')}`)).toMatchObject({ code: '002003' });
    // POLICY_REFERENCES: the column it is set on, and the column carrying the tag it is set on (with the tag).
    const references = (policy: string) => rowsOf(`SELECT REF_ENTITY_NAME, REF_ENTITY_DOMAIN, REF_COLUMN_NAME, REF_ARG_COLUMN_NAMES, TAG_NAME
      FROM TABLE("LOOP".INFORMATION_SCHEMA.POLICY_REFERENCES(POLICY_NAME => '${gov(policy)}')) ORDER BY TAG_NAME NULLS FIRST`);
    expect(await references('MASK')).toEqual([
      { REF_ENTITY_NAME: 'P_T', REF_ENTITY_DOMAIN: 'TABLE', REF_COLUMN_NAME: 'EMAIL', REF_ARG_COLUMN_NAMES: null, TAG_NAME: null },
      { REF_ENTITY_NAME: 'P_T', REF_ENTITY_DOMAIN: 'TABLE', REF_COLUMN_NAME: 'EMAIL', REF_ARG_COLUMN_NAMES: null, TAG_NAME: 'PII' },
    ]);
    expect(await references('ROWS')).toEqual([{ REF_ENTITY_NAME: 'P_T', REF_ENTITY_DOMAIN: 'TABLE', REF_COLUMN_NAME: null, REF_ARG_COLUMN_NAMES: '["K"]', TAG_NAME: null }]);
    expect(await references('MASK_NEXT')).toEqual([]);

    const refused = async (sql: string): Promise<string> => (await failure(sql)).message;
    expect(await refused(`DROP MASKING POLICY ${gov('MASK')}`)).toMatch(/attached to one or more objects/);
    expect(await refused(`DROP ROW ACCESS POLICY ${gov('ROWS')}`)).toMatch(/attached to one or more objects/);
    expect(await refused(`ALTER TABLE ${t} MODIFY COLUMN "EMAIL" SET MASKING POLICY ${gov('MASK_NEXT')} FORCE`)).toMatch(/USING must name column 'EMAIL' and 1 more/);
    expect(await refused(`ALTER TABLE ${t} DROP ROW ACCESS POLICY ${gov('ROWS_NEXT')}, ADD ROW ACCESS POLICY ${gov('ROWS')} ON ("K")`)).toMatch(/is not attached/);
    expect(await refused(`ALTER MASKING POLICY ${gov('MASK')} RENAME TO ${gov('MASK_NEXT')}`)).toMatch(/already exists/);
    expect(await refused(`ALTER TAG ${gov('PII')} UNSET MASKING POLICY ${gov('MASK_NEXT')}`)).toMatch(/is not set on tag/);

    // Each attachment moved by one statement, then the old policies dropped and the new ones renamed: they follow.
    for (const sql of [
      `ALTER TABLE ${t} MODIFY COLUMN "EMAIL" SET MASKING POLICY ${gov('MASK_NEXT')} USING ("EMAIL", "CONSENT") FORCE`,
      `ALTER TAG ${gov('PII')} SET MASKING POLICY ${gov('MASK_NEXT')} FORCE`,
      `ALTER TABLE ${t} DROP ROW ACCESS POLICY ${gov('ROWS')}, ADD ROW ACCESS POLICY ${gov('ROWS_NEXT')} ON ("K", "N")`,
      `DROP MASKING POLICY ${gov('MASK')}`,
      `DROP ROW ACCESS POLICY ${gov('ROWS')}`,
      `ALTER MASKING POLICY ${gov('MASK_NEXT')} RENAME TO ${gov('MASK')}`,
      `ALTER ROW ACCESS POLICY IF EXISTS ${gov('ROWS_NEXT')} RENAME TO ${gov('ROWS')}`,
    ]) await execute(sql);
    const { governance } = server;
    expect(governance.relations.get('LOOP.S.P_T')).toMatchObject({
      masking: new Map([['EMAIL', 'LOOP.GOV2.MASK']]), rowAccess: { policy: 'LOOP.GOV2.ROWS', on: ['K', 'N'] },
    });
    expect(governance.tags.get('LOOP.GOV2.PII')?.masking).toEqual(new Map([['VARCHAR', 'LOOP.GOV2.MASK']]));
    expect(governance.masking.get('LOOP.GOV2.MASK')?.args).toEqual([['VAL', 'VARCHAR'], ['CONSENT', 'BOOLEAN']]);
    expect([governance.masking.has('LOOP.GOV2.MASK_NEXT'), governance.rowAccess.has('LOOP.GOV2.ROWS_NEXT')]).toEqual([false, false]);

    // Detached: tag, projection, masking, grant, the tag's policy, the row access policy; then the policies drop.
    for (const sql of [
      `ALTER TABLE ${t} MODIFY COLUMN "EMAIL" UNSET TAG ${gov('PII')}`,
      `ALTER TABLE ${t} MODIFY COLUMN "N" UNSET PROJECTION POLICY`,
      `ALTER TABLE ${t} MODIFY COLUMN "EMAIL" UNSET MASKING POLICY`,
      `REVOKE SELECT ON TABLE ${t} FROM ROLE "READER"`,
      `ALTER TAG ${gov('PII')} UNSET MASKING POLICY ${gov('MASK')}`,
      `ALTER TABLE ${t} DROP ROW ACCESS POLICY ${gov('ROWS')}`,
    ]) await execute(sql);
    expect(governance.relations.get('LOOP.S.P_T')).toEqual({ masking: new Map(), projection: new Map(), tags: new Map(), rowAccess: undefined, grants: new Set() });
    for (const sql of [`DROP MASKING POLICY ${gov('MASK')}`, `DROP ROW ACCESS POLICY ${gov('ROWS')}`, `DROP PROJECTION POLICY ${gov('PROJ')}`, `DROP MASKING POLICY IF EXISTS ${gov('MASK')}`]) {
      await execute(sql);
    }
    expect(await refused(`DROP MASKING POLICY ${gov('MASK')}`)).toMatch(/Masking policy 'LOOP.GOV2.MASK' does not exist/);
    await execute(`DROP TABLE ${t}`);
    await execute('DROP SCHEMA "LOOP"."GOV2"');
  });
});

describe('the catalog in Snowflake terms', () => {
  beforeAll(async () => {
    await execute(`CREATE OR REPLACE TABLE "LOOP"."S"."TYPED" ("ID" NUMBER(38,0) NOT NULL, "AMOUNT" NUMBER(18,2), "NAME" VARCHAR, "RATIO" FLOAT,
      "OK" BOOLEAN, "DAY" DATE, "AT" TIMESTAMP_NTZ, "DOC" VARIANT)`);
  });

  it('INFORMATION_SCHEMA.COLUMNS says NUMBER with precision and scale in their own columns, TEXT with its length', async () => {
    const rows = await rowsOf(`SELECT COLUMN_NAME, DATA_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE
      FROM "LOOP".INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'S' AND TABLE_NAME = 'TYPED' ORDER BY ORDINAL_POSITION`);
    expect(rows.map((r) => Object.values(r))).toEqual([
      ['ID', 'NUMBER', 38, 0, null, 'NO'],
      ['AMOUNT', 'NUMBER', 18, 2, null, 'YES'],
      ['NAME', 'TEXT', null, null, 16_777_216, 'YES'],
      ['RATIO', 'FLOAT', null, null, null, 'YES'],
      ['OK', 'BOOLEAN', null, null, null, 'YES'],
      ['DAY', 'DATE', null, null, null, 'YES'],
      ['AT', 'TIMESTAMP_NTZ', null, null, null, 'YES'],
      ['DOC', 'VARIANT', null, null, null, 'YES'],
    ]);
  });

  it('INFORMATION_SCHEMA.TABLES lists only the database\'s own relations, with exact row counts; unqualified means the current database', async () => {
    const rows = await rowsOf(`SELECT TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ROW_COUNT FROM INFORMATION_SCHEMA.TABLES
      WHERE TABLE_NAME IN ('BASE', 'V_BASE', 'TYPED') ORDER BY TABLE_NAME`);
    expect(rows).toEqual([
      { TABLE_CATALOG: 'LOOP', TABLE_SCHEMA: 'S', TABLE_NAME: 'BASE', TABLE_TYPE: 'BASE TABLE', ROW_COUNT: 2 },
      { TABLE_CATALOG: 'LOOP', TABLE_SCHEMA: 'S', TABLE_NAME: 'TYPED', TABLE_TYPE: 'BASE TABLE', ROW_COUNT: 0 },
      { TABLE_CATALOG: 'LOOP', TABLE_SCHEMA: 'S', TABLE_NAME: 'V_BASE', TABLE_TYPE: 'VIEW', ROW_COUNT: null },
    ]);
    const schemas = await rowsOf('SELECT DISTINCT TABLE_SCHEMA FROM "LOOP".INFORMATION_SCHEMA.TABLES ORDER BY 1');
    expect(schemas.map((r) => r.TABLE_SCHEMA)).toEqual(['S']);
    expect(await failure('SELECT * FROM "NOWHERE".INFORMATION_SCHEMA.TABLES')).toMatchObject({ code: '002003' });
    // USE SCHEMA with a qualified name moves the session; unqualified names then resolve there.
    await execute('USE SCHEMA "LOOP"."S"');
    expect(await rowsOf('select count(*) as n from base')).toEqual([{ N: 2 }]);
    await execute('USE SCHEMA "LOOP"."PUBLIC"');
  });

  it('SHOW TABLES / SCHEMAS / OBJECTS: lower-case columns, LIKE case-insensitive, IN SCHEMA and IN DATABASE', async () => {
    const tables = await execute(`SHOW TABLES LIKE 'typ%' IN SCHEMA "LOOP"."S"`);
    expect(tables.statement.getColumns()!.slice(0, 5).map((c) => c.getName())).toEqual(['created_on', 'name', 'database_name', 'schema_name', 'kind']);
    expect(tables.rows).toMatchObject([{ name: 'TYPED', database_name: 'LOOP', schema_name: 'S', kind: 'TABLE', rows: 0 }]);
    expect((await rowsOf('SHOW SCHEMAS IN DATABASE "LOOP"')).map((r) => r.name)).toEqual(['PUBLIC', 'S']);
    const objects = await rowsOf(`SHOW OBJECTS LIKE '%base' IN DATABASE "LOOP"`);
    expect(objects.map((r) => [r.name, r.kind])).toEqual([['BASE', 'TABLE'], ['D_BASE', 'TABLE'], ['T_BASE', 'TABLE'], ['V_BASE', 'VIEW']]);
    expect((await rowsOf('DESCRIBE TABLE "LOOP"."S"."TYPED"')).slice(0, 3).map((r) => [r.name, r.type, r['null?']])).toEqual([
      ['ID', 'NUMBER(38,0)', 'N'], ['AMOUNT', 'NUMBER(18,2)', 'Y'], ['NAME', 'VARCHAR(16777216)', 'Y'],
    ]);
  });
});

describe('semantic views', () => {
  it('CREATE OR REPLACE SEMANTIC VIEW is kept and read back as YAML; GRANT ... ON SEMANTIC VIEW follows COPY GRANTS; refusals as Snowflake\'s', async () => {
    await execute('CREATE OR REPLACE TABLE "LOOP"."S"."SALES" ("ID" NUMBER, "REGION" VARCHAR, "AMOUNT" NUMBER(10,2))');
    const ddl = (comment: string, copy: boolean): string => `CREATE OR REPLACE SEMANTIC VIEW LOOP.S.SALES_SV
  TABLES (
    sales AS LOOP.S.SALES
      PRIMARY KEY (id)
      WITH SYNONYMS = ('orders')
  )
  FACTS (
    PRIVATE sales.amount_fact AS amount
  )
  DIMENSIONS (
    sales.region AS region
      COMMENT = 'Where it sold'
  )
  METRICS (
    sales.total_amount AS SUM(sales.amount_fact)
  )
  COMMENT = '${comment}'${copy ? '\n  COPY GRANTS' : ''}`;
    await execute(ddl('Sales by region', false));
    await execute('GRANT SELECT, REFERENCES ON SEMANTIC VIEW LOOP.S.SALES_SV TO ROLE PUBLIC');
    expect([...(server.semanticViews.views.get('LOOP.S.SALES_SV')?.grants.get('PUBLIC') ?? [])]).toEqual(['SELECT', 'REFERENCES']);
    const [row] = await rowsOf("SELECT SYSTEM$READ_YAML_FROM_SEMANTIC_VIEW('LOOP.S.SALES_SV')");
    const yaml = Object.values(row!)[0] as string;
    expect(yaml).toContain('name: SALES_SV\n');
    expect(yaml).toContain('base_table:\n      database: LOOP\n      schema: S\n      table: SALES');
    expect(yaml).toMatch(/facts:\n {6}- name: AMOUNT_FACT\n {8}expr: amount\n {8}access_modifier: private_access/);
    expect(yaml).toMatch(/metrics:\n {6}- name: TOTAL_AMOUNT\n {8}expr: SUM\(sales.amount_fact\)/);
    expect(yaml).toContain('description: Sales by region');
    // COPY GRANTS keeps the grants; a replace without it loses them, as does a verified query added in Snowsight.
    server.semanticViews.addVerifiedQuery('LOOP.S.SALES_SV', { name: 'q', question: 'Total?', sql: 'SELECT 1' });
    await execute(ddl('again', true));
    expect(server.semanticViews.views.get('LOOP.S.SALES_SV')?.grants.has('PUBLIC')).toBe(true);
    expect(server.semanticViews.views.get('LOOP.S.SALES_SV')?.model.verified_queries).toBeUndefined();
    await execute(ddl('again', false));
    expect(server.semanticViews.views.get('LOOP.S.SALES_SV')?.grants.size).toBe(0);
    expect(await failure(ddl('x', false).replace('LOOP.S.SALES\n', 'LOOP.S.MISSING\n'))).toMatchObject({ code: '002003' });
    expect(await failure('GRANT SELECT ON SEMANTIC VIEW LOOP.S.SALES_SV TO ROLE NOBODY')).toMatchObject({ code: '002003' });
    expect(await failure("SELECT SYSTEM$READ_YAML_FROM_SEMANTIC_VIEW('LOOP.S.NONE')")).toMatchObject({ code: '002003' });
  });
});

describe('array binds', () => {
  it('a 20,000-row INSERT ... VALUES (?, ?, ?, ?) goes in as one bulk insert', async () => {
    await execute('CREATE OR REPLACE TABLE "LOOP"."S"."BULK" ("ID" NUMBER(38,0), "PRICE" NUMBER(10,2), "DAY" DATE, "LABEL" VARCHAR)');
    const rows = Array.from({ length: 20_000 }, (_, i) => [i, (i % 997) + 0.5, `2024-01-${String((i % 28) + 1).padStart(2, '0')}`, i % 10 ? `row ${i}` : null]);
    const started = performance.now();
    const { statement } = await execute('INSERT INTO "LOOP"."S"."BULK" ("ID", "PRICE", "DAY", "LABEL") VALUES (?, ?, ?, ?)', rows);
    const seconds = (performance.now() - started) / 1000;
    expect(statement.getNumUpdatedRows()).toBe(20_000);
    // Measured at about 0.2 s (driver and HTTP included); one DuckDB statement per row took about 20 s.
    expect(seconds).toBeLessThan(5);
    expect(await rowsOf('select count(*) as n, sum(price) as total, count(label) as labelled from "LOOP"."S"."BULK"')).toEqual([{ N: 20_000, TOTAL: 9_941_890, LABELLED: 18_000 }]);
    const [row] = await rowsOf('select price, day, label from "LOOP"."S"."BULK" where id = 1234');
    expect([row!.PRICE, (row!.DAY as Date).toISOString(), row!.LABEL]).toEqual([237.5, '2024-01-03T00:00:00.000Z', 'row 1234']);
  });


  it('array binds on another statement run it once per row', async () => {
    const { statement } = await execute('UPDATE "LOOP"."S"."BULK" SET "LABEL" = ? WHERE "ID" = ?', [['first', 0], ['second', 1]]);
    expect(statement.getNumUpdatedRows()).toBe(2);
    expect(await rowsOf('select label from "LOOP"."S"."BULK" where id < 2 order by id')).toEqual([{ LABEL: 'first' }, { LABEL: 'second' }]);
  });
});

describe('cancel', () => {
  it('a hanging statement waits until the driver aborts it, then fails as cancelled; the server saw the abort', async () => {
    server.inject({ kind: 'hang' });
    let statement: RowStatement | undefined;
    const outcome = new Promise<SnowflakeError | undefined>((resolve) => {
      statement = db.execute({ sqlText: 'select 1 as never_answered', complete: (err) => resolve(err) }) as RowStatement;
    });
    const running = await server.whenRunning((q) => q.sqlText === 'select 1 as never_answered');
    expect(running).toMatchObject({ hanging: true });
    await new Promise<void>((resolve) => statement!.cancel(() => resolve()));
    expect(await outcome).toMatchObject({ code: '000604', sqlState: '57014' });
    expect(server.aborts.at(-1)).toMatchObject({ requestId: running.requestId, found: true });
    expect(server.running).toEqual([]);
    // The session carries on.
    expect(await rowsOf('select 2 as after')).toEqual([{ AFTER: 2 }]);
  });
});
