// Reads one Snowflake statement into a plan for the loopback server (pure). SELECT bodies go through charter's
// translator, as on charter's DuckDB target; the statements around them (DDL, DML, SHOW) are taken apart here,
// because the translator only takes a SELECT.
import { isOp, isSignificant, snowflakeStringValue, splitTopLevel, tokenize, type Token } from '../../src/adapters/duckdb/sql-tokens.js';
import { planCreate, planAlter, planDrop } from './loopback-ddl.js';
import { planGovernance, policyKind } from './loopback-governance-sql.js';
import { planSemantic } from './loopback-semantic.js';
import { completeName, Cursor, renderName, syntaxError, unsupported, type NameContext } from './loopback-names.js';
import { INFO_VIEWS, translateSelect, type CatalogRef, type GovernanceRead, type InfoView, type Plan, type RunPlan, type ShowObject, type ShowScope, type Translate } from './loopback-plan.js';
import { parseSessionCommand, resolveIdentifier, statementKind } from './loopback-sql.js';

const STATUS = { kind: 'status' } as const;
const ROWS = { kind: 'rows' } as const;
const INSERTED = { kind: 'count', column: 'number of rows inserted', statementTypeId: 0x3100 } as const;

const placeholder = (n: number): string => `"__sf_bind_${n}"`;
const PLACEHOLDER = /"__sf_bind_(\d+)"/g;
/** Bind placeholders as DuckDB parameters. */
const asParameters = (sql: string): string => sql.replace(PLACEHOLDER, '$$$1');
/** Bind placeholders as the columns c1..cN of the binds table (array binds in bulk). */
const asBindColumns = (sql: string): string => sql.replace(PLACEHOLDER, 'c$1');

const infoTable = (database: string, view: InfoView): string => `__sf_info_${view}_${database}`;
/** Where a statement reading TABLE(INFORMATION_SCHEMA.POLICY_REFERENCES(...)), or TAG_REFERENCES..., finds its rows. */
export const GOVERNANCE_READ_TABLE = '__sf_governance_read';
const GOVERNANCE_FUNCTIONS: ReadonlySet<string> = new Set(['POLICY_REFERENCES', 'TAG_REFERENCES', 'TAG_REFERENCES_ALL_COLUMNS']);

/**
 * The arguments of a governance table function, as Snowflake takes them: POLICY_REFERENCES(POLICY_NAME => '<policy>')
 * or (REF_ENTITY_NAME => '<relation>', REF_ENTITY_DOMAIN => '<domain>'); TAG_REFERENCES('<object>', 'TABLE' |
 * 'COLUMN'), a column named `db.schema.relation.column`; TAG_REFERENCES_ALL_COLUMNS('<relation>', 'TABLE').
 */
function governanceCall(fn: string, args: readonly Token[], context: NameContext): GovernanceRead {
  const groups: Token[][] = [[]];
  for (const t of args) {
    if (isOp(t, ',')) groups.push([]);
    else groups.at(-1)!.push(t);
  }
  const literal = (t: Token | undefined): string => {
    const value = snowflakeStringValue(t);
    if (value === undefined) throw unsupported(`${fn} with an argument other than a string literal`);
    return value;
  };
  if (fn === 'POLICY_REFERENCES') {
    const named = new Map<string, string>();
    for (const group of groups) {
      if (group.length !== 3 || !isOp(group[1], '=>')) throw unsupported('POLICY_REFERENCES with positional arguments');
      named.set(group[0]!.text.toUpperCase(), literal(group[2]));
    }
    const policy = named.get('POLICY_NAME');
    if (policy !== undefined && named.size === 1) return { fn, policy: new Cursor(policy).name(context) };
    const [entity, domain] = [named.get('REF_ENTITY_NAME'), named.get('REF_ENTITY_DOMAIN')];
    if (entity === undefined || domain === undefined || named.size !== 2) throw unsupported("POLICY_REFERENCES other than (POLICY_NAME => '...') or (REF_ENTITY_NAME => '...', REF_ENTITY_DOMAIN => '...')");
    if (!['TABLE', 'VIEW'].includes(domain.toUpperCase())) throw unsupported(`POLICY_REFERENCES of a ${domain}`);
    return { fn, entity: new Cursor(entity).name(context), domain: domain.toUpperCase() };
  }
  if (groups.length !== 2 || groups.some((g) => g.length !== 1)) throw syntaxError(`syntax error: ${fn} takes an object name and a domain`);
  const domain = literal(groups[1]![0]).toUpperCase();
  const parts = new Cursor(literal(groups[0]![0])).parts()?.map(resolveIdentifier) ?? [];
  if (domain === 'COLUMN' && fn === 'TAG_REFERENCES' && parts.length >= 2) return { fn: 'TAG_REFERENCES', relation: completeName(parts.slice(0, -1), context), column: parts.at(-1)! };
  if (domain !== 'TABLE' || parts.length === 0 || parts.length > 3) throw unsupported(`${fn}(..., '${domain}')`);
  return { fn: fn as 'TAG_REFERENCES' | 'TAG_REFERENCES_ALL_COLUMNS', relation: completeName(parts, context) };
}

/**
 * Binds and catalog references made uniform before planning: `?` and `:N` become the placeholder "__sf_bind_N" (an
 * identifier to the translator, so a translation that repeats an argument, e.g. DIV0(?, ?), still binds it right;
 * `asParameters` makes it DuckDB's `$N` afterwards), and `[db.]INFORMATION_SCHEMA.<view>` becomes the temp table
 * the server materialises for that database.
 */
export function prepareStatement(sql: string, context: NameContext): { text: string; catalog: CatalogRef[]; governanceRead?: GovernanceRead } {
  const tokens = tokenize(sql, 'snowflake');
  const sig = tokens.map((t, i) => [t, i] as const).filter(([t]) => isSignificant(t));
  const catalog: CatalogRef[] = [];
  let governanceRead: GovernanceRead | undefined;
  // Token ranges [from, to) to replace, found in order.
  const edits: { from: number; to: number; text: string }[] = [];
  const isName = (t: Token | undefined): boolean => t?.kind === 'ident' || t?.kind === 'qident';
  let next = 1;
  for (let k = 0; k < sig.length; k++) {
    const [t, i] = sig[k]!;
    const before = sig[k - 1]?.[0];
    if (isOp(t, '?')) edits.push({ from: i, to: i + 1, text: placeholder(next++) });
    else if (isOp(t, ':') && sig[k + 1]?.[0].kind === 'number' && !isName(before) && !isOp(before, ')') && !isOp(before, ']')) {
      // `:1` is a bind; `col:1` (after a name or bracket) is a Snowflake path, left alone.
      edits.push({ from: i, to: sig[k + 1]![1] + 1, text: placeholder(Number(sig[k + 1]![0].text)) });
      k++;
    } else if (isName(t) && resolveIdentifier(t.text) === 'INFORMATION_SCHEMA' && isOp(sig[k + 1]?.[0], '.') && GOVERNANCE_FUNCTIONS.has(resolveIdentifier(sig[k + 2]?.[0].text ?? '')) && isOp(sig[k + 3]?.[0], '(')) {
      // TABLE([db.]INFORMATION_SCHEMA.<function>(<literals>)): the function's rows, as a table.
      const fn = resolveIdentifier(sig[k + 2]![0].text);
      const qualified = isOp(before, '.') && isName(sig[k - 2]?.[0]);
      const from = qualified ? k - 2 : k;
      // The arguments are literals, names and `=>`: the first `)` closes the call.
      const close = sig.findIndex(([x], j) => j > k + 3 && isOp(x, ')'));
      const table = close > 0 && isOp(sig[from - 1]?.[0], '(') && resolveIdentifier(sig[from - 2]?.[0].text ?? '') === 'TABLE' && isOp(sig[close + 1]?.[0], ')');
      if (!table) throw unsupported(`${fn} outside TABLE(...)`);
      governanceRead = governanceCall(fn, sig.slice(k + 4, close).map(([x]) => x), context);
      edits.push({ from: sig[from - 2]![1], to: sig[close + 1]![1] + 1, text: `temp.main.${GOVERNANCE_READ_TABLE}` });
      k = close + 1;
    } else if (isName(t) && resolveIdentifier(t.text) === 'INFORMATION_SCHEMA' && isOp(sig[k + 1]?.[0], '.') && isName(sig[k + 2]?.[0])) {
      const view = resolveIdentifier(sig[k + 2]![0].text) as InfoView;
      if (!INFO_VIEWS.includes(view)) throw unsupported(`INFORMATION_SCHEMA.${view}`);
      const qualified = isOp(before, '.') && isName(sig[k - 2]?.[0]);
      const database = qualified ? resolveIdentifier(sig[k - 2]![0].text) : context.database;
      if (!database) throw syntaxError('INFORMATION_SCHEMA needs a current database or a qualified name');
      const table = infoTable(database, view);
      if (!catalog.some((r) => r.table === table)) catalog.push({ database, view, table, counts: /\bROW_COUNT\b|\bBYTES\b|\*/i.test(sql) });
      edits.push({ from: qualified ? sig[k - 2]![1] : i, to: sig[k + 2]![1] + 1, text: `temp.main."${table.replace(/"/g, '""')}"` });
      k += 2;
    }
  }
  edits.push(...generatorEdits(sig));
  edits.sort((a, b) => a.from - b.from);
  let text = '';
  let at = 0;
  for (const edit of edits) {
    text += tokens.slice(at, edit.from).map((t) => t.text).join('') + edit.text;
    at = edit.to;
  }
  text += tokens.slice(at).map((t) => t.text).join('');
  return { text, catalog, ...(governanceRead ? { governanceRead } : {}) };
}

const SEQUENCE_COLUMN = '"__SF_SEQ"';

/**
 * Snowflake's row generator, which charter's translator refuses (its DuckDB target never meets it: macros dispatch
 * to a DuckDB form): `TABLE(GENERATOR(ROWCOUNT => n))` becomes a subquery of n rows numbered from 0 in the column
 * __SF_SEQ, and SEQ1/2/4/8() in the same statement read that column (Snowflake's numbers, without its gaps).
 */
function generatorEdits(sig: ReadonlyArray<readonly [Token, number]>): { from: number; to: number; text: string }[] {
  const edits: { from: number; to: number; text: string }[] = [];
  const word = (k: number, w: string): boolean => sig[k]?.[0].kind === 'ident' && sig[k]![0].text.toUpperCase() === w;
  for (let k = 0; k < sig.length; k++) {
    if (!(word(k, 'TABLE') && isOp(sig[k + 1]?.[0], '(') && word(k + 2, 'GENERATOR') && isOp(sig[k + 3]?.[0], '('))) continue;
    const close = sig.findIndex(([t], j) => j > k + 3 && isOp(t, ')'));
    const args = sig.slice(k + 4, close).map(([t]) => t.text.toUpperCase()).join(' ');
    const rows = /^ROWCOUNT => (\d+)$/.exec(args)?.[1];
    if (!rows || !isOp(sig[close + 1]?.[0], ')')) throw unsupported(`GENERATOR(${args})`);
    edits.push({ from: sig[k]![1], to: sig[close + 1]![1] + 1, text: `(SELECT range AS ${SEQUENCE_COLUMN} FROM range(${rows}))` });
  }
  if (edits.length === 0) return edits;
  for (let k = 0; k < sig.length; k++) {
    if (!(['SEQ1', 'SEQ2', 'SEQ4', 'SEQ8'].some((w) => word(k, w)) && isOp(sig[k + 1]?.[0], '('))) continue;
    const close = sig.findIndex(([t], j) => j > k && isOp(t, ')'));
    edits.push({ from: sig[k]![1], to: sig[close]![1] + 1, text: SEQUENCE_COLUMN });
  }
  return edits;
}

/** The plan for one statement; a statement Snowflake would refuse (or the server cannot emulate) throws SnowflakeError. */
export function planStatement(sqlText: string, context: NameContext, translate: Translate): Plan {
  const command = parseSessionCommand(sqlText);
  if (command) return { kind: 'session', command };
  const semantic = /\bSEMANTIC\b|SYSTEM\$READ_YAML_FROM_SEMANTIC_VIEW/i.test(sqlText) ? planSemantic(sqlText, context) : undefined;
  if (semantic) return { kind: 'semantic', op: semantic };
  const { text, catalog, governanceRead } = prepareStatement(sqlText, context);
  const c = new Cursor(text);
  const first = c.peek();
  if (!first) throw syntaxError('syntax error: empty statement');
  const word = first.text.toUpperCase();
  const run = (statements: string[], result: RunPlan['result'], ddl: boolean, extra: Partial<RunPlan> = {}): RunPlan =>
    ({ kind: 'run', statements: statements.map(asParameters), result, ddl, catalog, ...(governanceRead ? { governanceRead } : {}), ...extra, bulk: extra.bulk && asBindColumns(extra.bulk) });
  switch (word) {
    case 'SELECT': case 'WITH': case '(':
      return run([translateSelect(translate, text)], ROWS, false);
    case 'BEGIN': case 'START':
      return { kind: 'transaction', op: 'begin' };
    case 'COMMIT':
      return { kind: 'transaction', op: 'commit' };
    case 'ROLLBACK':
      return { kind: 'transaction', op: 'rollback' };
    case 'SHOW':
      return planShow(c, context);
    case 'DESCRIBE': case 'DESC': {
      c.i++;
      const policy = policyKind(c);
      if (policy) return { kind: 'describe-policy', policy, name: c.name(context) };
      if (!c.take('TABLE')) c.take('VIEW');
      return { kind: 'describe', relation: c.name(context) };
    }
    case 'INSERT':
      return planInsert(c, context, translate, run);
    case 'DELETE':
      return planDelete(c, context, translate, run);
    case 'CREATE': case 'ALTER': case 'GRANT': case 'REVOKE': case 'DROP': {
      const op = planGovernance(c, context);
      if (op) return { kind: 'governance', op };
      if (word === 'DROP') return planDrop(c, context, run);
      return word === 'CREATE' ? planCreate(c, context, translate, run) : word === 'ALTER' ? planAlter(c, context, translate, run) : { kind: 'ignored' };
    }
    case 'PUT': case 'GET': case 'COPY': case 'LIST': case 'LS': case 'REMOVE': case 'RM':
      // Stages and file transfer: seeds reach the loopback server as array-bind INSERTs instead.
      throw unsupported(`${word} (stages)`);
    case 'UPDATE':
      // Passed to DuckDB as written (binds made $N): its SET and WHERE are not translated.
      return run([text], { kind: 'count', column: 'number of rows updated', statementTypeId: 0x3200 }, false);
    case 'MERGE':
      return run([text], { kind: 'count', column: 'number of rows inserted', statementTypeId: 0x3400 }, false);
    case 'TRUNCATE':
      return run([text], STATUS, false);
    default: {
      const kind = statementKind(text);
      return run([text], kind.kind === 'query' ? ROWS : STATUS, kind.kind === 'ddl');
    }
  }
}

/** `INSERT [OVERWRITE] INTO t [(cols)] {SELECT ... | VALUES (...), ...}`; one VALUES row also gets a bulk form. */
function planInsert(c: Cursor, context: NameContext, translate: Translate, run: RunFn): RunPlan {
  c.expect('INSERT');
  const overwrite = c.take('OVERWRITE');
  c.expect('INTO');
  const target = c.name(context);
  let columns = '';
  if (isOp(c.peek(), '(') && !c.at('(', 'SELECT') && !c.at('(', 'WITH')) {
    const [open, close] = c.group();
    columns = ` ${c.slice(open, close + 1)}`;
  }
  const into = `INSERT INTO ${renderName(target)}${columns} `;
  const before = overwrite ? [`DELETE FROM ${renderName(target)}`] : [];
  if (!c.take('VALUES')) return run([...before, into + translateSelect(translate, c.rest())], INSERTED, false);
  const rows: [number, number][] = [];
  while (isOp(c.peek(), '(')) {
    rows.push(c.group());
    if (!c.take(',')) break;
  }
  if (!c.done || rows.length === 0) throw syntaxError(`syntax error: unexpected '${c.peek()?.text ?? 'end of statement'}' in VALUES`);
  if (rows.length > 1) {
    const valuesText = rows.map(([open, close]) => c.slice(open, close + 1)).join(', ');
    return run([...before, into + translateSelect(translate, `SELECT * FROM (VALUES ${valuesText})`)], INSERTED, false);
  }
  // One row: the SELECT of its expressions; for an array bind, the same expressions read from the binds table.
  const [open, close] = rows[0]!;
  const items = splitTopLevel(c.tokens, open, close).map(([s, e]) => c.slice(s, e)).join(', ');
  const select = translateSelect(translate, `SELECT ${items}`);
  const bulk = translateSelect(translate, `SELECT ${items} FROM temp.main.__sf_binds`);
  return run([...before, into + select], INSERTED, false, { bulk: into + bulk });
}

/** `DELETE FROM t [WHERE ...]`: the WHERE is translated as the WHERE of `SELECT * FROM t`. */
function planDelete(c: Cursor, context: NameContext, translate: Translate, run: RunFn): RunPlan {
  c.expect('DELETE');
  c.take('FROM');
  const target = c.name(context);
  const deleted = { kind: 'count', column: 'number of rows deleted', statementTypeId: 0x3300 } as const;
  const rest = c.rest();
  if (c.at('USING')) return run([`DELETE FROM ${renderName(target)} ${rest}`], deleted, false);
  const select = translateSelect(translate, `SELECT * FROM ${renderName(target)} ${rest}`);
  const head = /^SELECT \* FROM /i.exec(select);
  if (!head) throw unsupported('DELETE with this WHERE clause');
  return run([`DELETE FROM ${select.slice(head[0].length)}`], deleted, false);
}

const SHOW_OBJECTS: readonly ShowObject[] = ['TABLES', 'VIEWS', 'SCHEMAS', 'OBJECTS', 'DATABASES', 'DYNAMIC TABLES'];

/** `SHOW [TERSE] <objects> [LIKE '...'] [IN ACCOUNT | DATABASE [db] | SCHEMA [s] | s] [STARTS WITH '...'] [LIMIT n]`, and `SHOW GRANTS ON <relation>`. */
function planShow(c: Cursor, context: NameContext): Plan {
  c.expect('SHOW');
  if (c.take('GRANTS', 'ON')) {
    // SHOW GRANTS ON <relation>: the privileges on one relation (other forms are not emulated).
    const object = (['DYNAMIC TABLE', 'TABLE', 'VIEW'] as const).find((o) => c.take(...o.split(' ')));
    if (!object) throw unsupported(`SHOW GRANTS ON ${c.rest().split(/\s+/)[0]?.toUpperCase() ?? ''}`);
    const relation = c.name(context);
    if (!c.done) throw syntaxError(`syntax error: unexpected '${c.peek()?.text}'`);
    return { kind: 'show-grants', object, relation };
  }
  const terse = c.take('TERSE');
  const object = SHOW_OBJECTS.find((o) => c.take(...o.split(' ')));
  if (!object) throw unsupported(`SHOW ${c.rest().split(/\s+/)[0]?.toUpperCase() ?? ''}`);
  const string = (): string => {
    const value = snowflakeStringValue(c.peek());
    if (value === undefined) throw syntaxError(`syntax error: expected a string near '${c.peek()?.text ?? 'end of statement'}'`);
    c.i++;
    return value;
  };
  const like = c.take('LIKE') ? string() : undefined;
  // Without IN, Snowflake shows the current database when there is one, else the account.
  let scope: ShowScope = context.database ? { kind: 'database', database: context.database } : { kind: 'account' };
  if (c.take('IN')) {
    if (c.take('ACCOUNT')) scope = { kind: 'account' };
    else if (c.take('DATABASE')) {
      const parts = c.parts();
      const database = parts ? resolveIdentifier(parts[0]!) : context.database;
      scope = database ? { kind: 'database', database } : { kind: 'account' };
    } else {
      const keyword = c.take('SCHEMA');
      const parts = c.parts()?.map(resolveIdentifier);
      const named = parts ? completeName([...parts, '_'], context) : keyword && context.database && context.schema ? { database: context.database, schema: context.schema } : undefined;
      if (!named) throw syntaxError('syntax error: SHOW ... IN SCHEMA needs a current schema or a name');
      scope = { kind: 'schema', database: named.database, schema: named.schema };
    }
  }
  const startsWith = c.take('STARTS', 'WITH') ? string() : undefined;
  let limit: number | undefined;
  if (c.take('LIMIT')) {
    limit = Number(c.peek()?.text);
    c.i++;
  }
  if (!c.done) throw syntaxError(`syntax error: unexpected '${c.peek()?.text}'`);
  return { kind: 'show', show: { object, terse, like, startsWith, limit, scope } };
}

export type RunFn = (statements: string[], result: RunPlan['result'], ddl: boolean, extra?: Partial<RunPlan>) => RunPlan;
