// Snowflake DDL read into loopback plans: CREATE / ALTER / DROP of tables, views, dynamic tables, schemas and
// databases. Snowflake-only clauses (COPY GRANTS, SECURE, TRANSIENT, CLUSTER BY, COMMENT, TARGET_LAG, ...) are
// taken off; column types become DuckDB's by charter's own mapping; the SELECT of a CTAS or view is translated.
import { duckdbTypeOf } from '../../src/adapters/duckdb/types.js';
import { isOp, isWord, snowflakeStringValue, splitTopLevel, type Token } from '../../src/adapters/duckdb/sql-tokens.js';
import { Cursor, quote, renderName, syntaxError, unsupported, type NameContext, type ObjectName } from './loopback-names.js';
import { translateExpression, translateSelect, type Plan, type RelationTraits, type RunPlan, type Translate } from './loopback-plan.js';
import { resolveIdentifier } from './loopback-sql.js';
import type { RunFn } from './loopback-statement.js';

const STATUS = { kind: 'status' } as const;
const MODIFIERS = ['LOCAL', 'GLOBAL', 'TEMP', 'TEMPORARY', 'VOLATILE', 'TRANSIENT', 'SECURE', 'RECURSIVE', 'MATERIALIZED', 'DYNAMIC'];

export function planCreate(c: Cursor, context: NameContext, translate: Translate, run: RunFn): Plan {
  c.expect('CREATE');
  const orReplace = c.take('OR', 'REPLACE');
  const modifiers = new Set<string>();
  while (MODIFIERS.some((m) => c.at(m))) {
    modifiers.add(c.peek()!.text.toUpperCase());
    c.i++;
  }
  const object = ['TABLE', 'VIEW', 'SCHEMA', 'DATABASE'].find((o) => c.take(o));
  if (!object) throw unsupported(`CREATE ${c.rest().split(/\s/)[0]?.toUpperCase() ?? ''}`);
  const ifNotExists = c.take('IF', 'NOT', 'EXISTS');
  if (object === 'DATABASE') {
    const name = resolveIdentifier(c.parts()?.[0] ?? '');
    const clone = c.take('CLONE') ? resolveIdentifier(c.parts()?.[0] ?? '') : undefined;
    if (clone === '') throw syntaxError('syntax error: CREATE DATABASE ... CLONE needs the database to clone');
    return { kind: 'database', op: orReplace ? 'replace' : ifNotExists ? 'ensure' : 'create', name, ...(clone ? { clone } : {}) };
  }
  if (object === 'SCHEMA') {
    const parts = c.parts()?.map(resolveIdentifier) ?? [];
    const database = parts.length === 2 ? parts[0] : context.database;
    if (!database || parts.length === 0) throw syntaxError('syntax error: CREATE SCHEMA needs a name and a database');
    const schema = `${quote(database)}.${quote(parts.at(-1)!)}`;
    // Managed access, retention and comments are Snowflake's alone.
    return run(orReplace ? [`DROP SCHEMA IF EXISTS ${schema} CASCADE`, `CREATE SCHEMA ${schema}`] : [`CREATE SCHEMA ${ifNotExists ? 'IF NOT EXISTS ' : ''}${schema}`], STATUS, true);
  }
  const name = c.name(context);
  const head = `CREATE ${orReplace ? 'OR REPLACE ' : ''}${object} ${ifNotExists ? 'IF NOT EXISTS ' : ''}${renderName(name)}`;
  if (modifiers.has('RECURSIVE')) throw unsupported('CREATE RECURSIVE VIEW');
  if (object === 'VIEW') {
    // An optional column list: the names only (Snowflake allows a COMMENT per column).
    let columns = '';
    if (isOp(c.peek(), '(')) {
      const [open, close] = c.group();
      columns = ` (${splitTopLevel(c.tokens, open, close).map(([s]) => quote(resolveIdentifier(c.tokens[s]!.text))).join(', ')})`;
    }
    const body = bodyAfterOptions(c).select;
    const traits: RelationTraits = { kind: 'VIEW', secure: modifiers.has('SECURE'), text: c.sql };
    return run([`${head}${columns} AS ${translateSelect(translate, body)}`], STATUS, true, { creates: { relation: name, traits } });
  }
  const kind = modifiers.has('TRANSIENT') ? 'TRANSIENT' : modifiers.has('TEMP') || modifiers.has('TEMPORARY') || modifiers.has('LOCAL') ? 'TEMPORARY' : 'TABLE';
  const creates = (traits: Omit<RelationTraits, 'text'>): Partial<RunPlan> => ({ creates: { relation: name, traits: { ...traits, text: c.sql } } });
  if (isOp(c.peek(), '(')) {
    const [open, close] = c.group();
    if (c.at('AS')) throw unsupported('CREATE TABLE with a column list AS SELECT');
    // Table options after the columns (CLUSTER BY, COMMENT, retention, COPY GRANTS) are dropped.
    const columns = splitTopLevel(c.tokens, open, close).map((range) => columnDefinition(c.tokens.slice(...range), translate)).filter(Boolean);
    return run([`${head} (${columns.join(', ')})`], STATUS, true, creates({ kind }));
  }
  if (c.take('CLONE') || c.take('LIKE')) {
    const like = c.tokens[c.i - 1]!.text.toUpperCase() === 'LIKE';
    const source = renderName(c.name(context));
    return run([`${head} AS SELECT * FROM ${source}${like ? ' LIMIT 0' : ''}`], STATUS, true, creates({ kind }));
  }
  const { select, options } = bodyAfterOptions(c);
  const translated = translateSelect(translate, select);
  if (!modifiers.has('DYNAMIC')) return run([`${head} AS ${translated}`], STATUS, true, creates({ kind }));
  // A dynamic table is emulated as a table built once from its SELECT; ALTER DYNAMIC TABLE ... REFRESH rebuilds it.
  const dynamic = { targetLag: options.get('TARGET_LAG') ?? 'DOWNSTREAM', warehouse: options.get('WAREHOUSE') ?? '', text: select, select: translated };
  return run([`${head} AS ${translated}`], STATUS, true, creates({ kind, dynamic }));
}

/** Skips the options between a name and `AS <select>`, keeping `NAME = value` pairs; returns the SELECT text. */
function bodyAfterOptions(c: Cursor): { select: string; options: Map<string, string> } {
  const options = new Map<string, string>();
  while (!c.done && !c.at('AS')) {
    if (isOp(c.peek(), '(')) {
      c.group();
      continue;
    }
    const key = c.peek()!.text.toUpperCase();
    if (isOp(c.peek(1), '=') && c.peek(2)) {
      const value = c.peek(2)!;
      options.set(key, snowflakeStringValue(value) ?? resolveIdentifier(value.text));
      c.i += 3;
    } else c.i++;
  }
  c.expect('AS');
  return { select: c.rest(), options };
}

// Words that end a column's type and start its constraints and properties.
const COLUMN_CLAUSES = ['NOT', 'NULL', 'DEFAULT', 'COMMENT', 'PRIMARY', 'UNIQUE', 'REFERENCES', 'COLLATE', 'WITH', 'MASKING',
  'TAG', 'PROJECTION', 'CONSTRAINT', 'FOREIGN', 'CHECK', 'AUTOINCREMENT', 'IDENTITY'];

/**
 * One Snowflake column definition for DuckDB: the type mapped, NOT NULL and DEFAULT kept. Key constraints are
 * dropped: Snowflake records but does not enforce them, and DuckDB would. Undefined for a table constraint.
 */
export function columnDefinition(tokens: readonly Token[], translate: Translate): string | undefined {
  const [first] = tokens;
  if (!first || isWord(first, 'CONSTRAINT', 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK')) return undefined;
  let k = 1;
  const typeStart = k;
  let depth = 0;
  while (k < tokens.length && (depth > 0 || !COLUMN_CLAUSES.some((w) => isWord(tokens[k], w)))) {
    if (isOp(tokens[k], '(')) depth++;
    if (isOp(tokens[k], ')')) depth--;
    k++;
  }
  const type = tokens.slice(typeStart, k).map((t) => t.text).join(' ').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')');
  if (!type) throw syntaxError(`syntax error: column ${first.text} has no type`);
  let out = `${quote(resolveIdentifier(first.text))} ${duckdbTypeOf(type)}`;
  while (k < tokens.length) {
    const t = tokens[k]!;
    if (isWord(t, 'NOT') && isWord(tokens[k + 1], 'NULL')) {
      out += ' NOT NULL';
      k += 2;
    } else if (isWord(t, 'DEFAULT')) {
      const from = ++k;
      while (k < tokens.length && !COLUMN_CLAUSES.some((w) => isWord(tokens[k], w))) k++;
      out += ` DEFAULT ${translateExpression(translate, tokens.slice(from, k).map((x) => x.text).join(' '))}`;
    } else if (isWord(t, 'AUTOINCREMENT', 'IDENTITY')) {
      throw unsupported('AUTOINCREMENT');
    } else if (isWord(t, 'WITH', 'MASKING', 'TAG', 'PROJECTION')) {
      // Governance attached to the column: nothing to hold it in DuckDB.
      break;
    } else k++;
  }
  return out;
}

export function planAlter(c: Cursor, context: NameContext, translate: Translate, run: RunFn): Plan {
  c.expect('ALTER');
  const object = c.take('DYNAMIC', 'TABLE') ? 'DYNAMIC TABLE' : c.take('MATERIALIZED', 'VIEW') ? 'VIEW' : ['TABLE', 'VIEW'].find((o) => c.take(o));
  if (!object) throw unsupported(`ALTER ${c.rest().split(/\s/)[0]?.toUpperCase() ?? ''}`);
  c.take('IF', 'EXISTS');
  const name = c.name(context);
  if (c.take('SWAP', 'WITH')) return { kind: 'swap', a: name, b: c.name(context) };
  if (c.take('RENAME', 'TO')) return { kind: 'rename', object: object === 'VIEW' ? 'VIEW' : 'TABLE', from: name, to: c.name(context) };
  // Time travel is Snowflake's alone: a table or dynamic table takes the parameter (a view has none to set).
  if (object !== 'VIEW' && c.at('SET', 'DATA_RETENTION_TIME_IN_DAYS')) return { kind: 'ignored' };
  if (object === 'DYNAMIC TABLE') {
    if (c.take('REFRESH')) return { kind: 'refresh', relation: name };
    if (c.take('SUSPEND') || c.take('RESUME')) return { kind: 'ignored' };
    throw unsupported(`ALTER DYNAMIC TABLE ... ${c.peek()?.text.toUpperCase() ?? ''}`);
  }
  if (object === 'VIEW') {
    if (c.at('SET', 'SECURE') || c.at('UNSET', 'SECURE')) return { kind: 'ignored' };
    throw unsupported(`ALTER VIEW ... ${c.peek()?.text.toUpperCase() ?? ''}`);
  }
  const table = `ALTER TABLE ${renderName(name)}`;
  if (c.take('ADD')) {
    c.take('COLUMN');
    const ifNotExists = c.take('IF', 'NOT', 'EXISTS') ? 'IF NOT EXISTS ' : '';
    const end = isOp(c.tokens.at(-1), ';') ? c.tokens.length - 1 : c.tokens.length;
    const items = splitTopLevel(c.tokens, c.i - 1, end);
    if (items.length !== 1) throw unsupported('ALTER TABLE ... ADD of several columns');
    const column = columnDefinition(c.tokens.slice(...items[0]!), translate);
    if (!column) throw unsupported('ALTER TABLE ... ADD CONSTRAINT');
    return run([`${table} ADD COLUMN ${ifNotExists}${column}`], STATUS, true);
  }
  if (c.take('DROP')) {
    c.take('COLUMN');
    const ifExists = c.take('IF', 'EXISTS') ? 'IF EXISTS ' : '';
    return run([`${table} DROP COLUMN ${ifExists}${quote(resolveIdentifier(c.parts()?.[0] ?? ''))}`], STATUS, true);
  }
  if (c.take('ALTER') || c.take('MODIFY')) {
    c.take('COLUMN');
    const column = quote(resolveIdentifier(c.parts()?.[0] ?? ''));
    if (c.take('SET', 'DATA', 'TYPE') || c.take('TYPE')) {
      return run([`${table} ALTER COLUMN ${column} SET DATA TYPE ${duckdbTypeOf(c.rest())}`], STATUS, true);
    }
    if (c.take('SET', 'NOT', 'NULL')) return run([`${table} ALTER COLUMN ${column} SET NOT NULL`], STATUS, true);
    if (c.take('DROP', 'NOT', 'NULL')) return run([`${table} ALTER COLUMN ${column} DROP NOT NULL`], STATUS, true);
    throw unsupported(`ALTER TABLE ... ALTER COLUMN ... ${c.peek()?.text.toUpperCase() ?? ''}`);
  }
  if (c.take('RENAME', 'COLUMN')) {
    const from = quote(resolveIdentifier(c.parts()?.[0] ?? ''));
    c.expect('TO');
    return run([`${table} RENAME COLUMN ${from} TO ${quote(resolveIdentifier(c.parts()?.[0] ?? ''))}`], STATUS, true);
  }
  throw unsupported(`ALTER TABLE ... ${c.peek()?.text.toUpperCase() ?? ''}`);
}

export function planDrop(c: Cursor, context: NameContext, run: RunFn): Plan {
  c.expect('DROP');
  const object = c.take('DYNAMIC', 'TABLE') ? 'TABLE' : c.take('MATERIALIZED', 'VIEW') ? 'VIEW' : ['TABLE', 'VIEW', 'SCHEMA', 'DATABASE'].find((o) => c.take(o));
  if (!object) throw unsupported(`DROP ${c.rest().split(/\s/)[0]?.toUpperCase() ?? ''}`);
  const ifExists = c.take('IF', 'EXISTS');
  if (object === 'DATABASE') return { kind: 'database', op: ifExists ? 'drop-if-exists' : 'drop', name: resolveIdentifier(c.parts()?.[0] ?? '') };
  if (object === 'SCHEMA') {
    const parts = c.parts()?.map(resolveIdentifier) ?? [];
    const database = parts.length === 2 ? parts[0] : context.database;
    if (!database || parts.length === 0) throw syntaxError('syntax error: DROP SCHEMA needs a name and a database');
    // Snowflake drops a schema with its contents unless told RESTRICT.
    const cascade = c.take('RESTRICT') ? '' : ' CASCADE';
    return run([`DROP SCHEMA ${ifExists ? 'IF EXISTS ' : ''}${quote(database)}.${quote(parts.at(-1)!)}${cascade}`], STATUS, true);
  }
  const name: ObjectName = c.name(context);
  return run([`DROP ${object} ${ifExists ? 'IF EXISTS ' : ''}${renderName(name)}`], STATUS, true, { drops: name });
}
