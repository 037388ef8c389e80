// Governance statements read into operations for the loopback server (pure): roles, tags, policies and their
// lifecycle (CREATE, SET BODY, RENAME, DROP), what attaches to a relation or a tag and what detaches from it, and
// grants. loopback-governance.ts keeps the state they act on.
import { isOp, snowflakeStringValue } from '../../src/adapters/duckdb/sql-tokens.js';
import { syntaxError, unsupported, type Cursor, type NameContext, type ObjectName } from './loopback-names.js';
import { resolveIdentifier } from './loopback-sql.js';

export type PolicyKind = 'MASKING' | 'ROW ACCESS' | 'PROJECTION';
/** How a statement names a relation; Snowflake refuses ALTER TABLE on a view and the other way round. */
export type RelationObject = 'TABLE' | 'VIEW' | 'DYNAMIC TABLE';

type OnRelation = { readonly object: RelationObject; readonly relation: ObjectName };
type OnColumn = OnRelation & { readonly column: string };

export type GovernanceOp =
  | { readonly op: 'create-role'; readonly role: string; readonly ifNotExists: boolean }
  | { readonly op: 'grant-role'; readonly role: string; readonly to: string }
  | ({ readonly op: 'grant-select' | 'revoke-select'; readonly role: string } & OnRelation)
  | { readonly op: 'grant-usage'; readonly on: 'DATABASE' | 'SCHEMA'; readonly name: string; readonly role: string }
  | { readonly op: 'create-tag'; readonly tag: ObjectName; readonly allowedValues: readonly string[] | undefined; readonly ifNotExists: boolean }
  | {
    readonly op: 'create-policy'; readonly kind: PolicyKind; readonly policy: ObjectName; readonly args: ReadonlyArray<readonly [string, string]>;
    readonly returns: string; readonly body: string; readonly ifNotExists: boolean; readonly orReplace: boolean;
  }
  | { readonly op: 'set-body'; readonly kind: PolicyKind; readonly policy: ObjectName; readonly body: string }
  | { readonly op: 'rename-policy'; readonly kind: PolicyKind; readonly policy: ObjectName; readonly to: ObjectName; readonly ifExists: boolean }
  | { readonly op: 'drop-policy'; readonly kind: PolicyKind; readonly policy: ObjectName; readonly ifExists: boolean }
  | { readonly op: 'tag-masking'; readonly tag: ObjectName; readonly policies: readonly ObjectName[]; readonly force: boolean }
  | { readonly op: 'tag-unset-masking'; readonly tag: ObjectName; readonly policies: readonly ObjectName[] }
  | ({ readonly op: 'set-masking'; readonly policy: ObjectName; readonly using: readonly string[] | undefined; readonly force: boolean } & OnColumn)
  | ({ readonly op: 'set-projection'; readonly policy: ObjectName; readonly force: boolean } & OnColumn)
  | ({ readonly op: 'unset-masking' | 'unset-projection' } & OnColumn)
  | ({ readonly op: 'set-tag'; readonly tags: ReadonlyArray<readonly [ObjectName, string]> } & OnColumn)
  | ({ readonly op: 'unset-tag'; readonly tags: readonly ObjectName[] } & OnColumn)
  /** `DROP ROW ACCESS POLICY p [, ADD ROW ACCESS POLICY q ON (...)]`, `ADD ...` alone: one statement, one swap. */
  | ({ readonly op: 'row-access'; readonly drop: ObjectName | undefined; readonly add: { readonly policy: ObjectName; readonly on: readonly string[] } | undefined } & OnRelation);

const OBJECTS: readonly RelationObject[] = ['DYNAMIC TABLE', 'TABLE', 'VIEW'];

/**
 * The plan of a governance statement, or undefined (cursor untouched) for any other: CREATE ROLE | TAG | MASKING
 * POLICY | ROW ACCESS POLICY | PROJECTION POLICY, ALTER ... POLICY ... SET BODY | RENAME TO, DROP ... POLICY,
 * ALTER TAG ... SET | UNSET MASKING POLICY, ALTER TABLE | VIEW | DYNAMIC TABLE ... MODIFY COLUMN ... SET | UNSET
 * MASKING POLICY | PROJECTION POLICY | TAG, ... ADD | DROP ROW ACCESS POLICY, GRANT ROLE, GRANT | REVOKE SELECT,
 * GRANT USAGE ON DATABASE | SCHEMA.
 */
export function planGovernance(c: Cursor, context: NameContext): GovernanceOp | undefined {
  const start = c.i;
  const op = readGovernance(c, context);
  if (!op) c.i = start;
  else if (!c.done) throw syntaxError(`syntax error: unexpected '${c.peek()?.text}'`);
  return op;
}

/** `MASKING POLICY`, `ROW ACCESS POLICY` or `PROJECTION POLICY` next: which. */
export function policyKind(c: Cursor): PolicyKind | undefined {
  if (c.take('MASKING', 'POLICY')) return 'MASKING';
  if (c.take('ROW', 'ACCESS', 'POLICY')) return 'ROW ACCESS';
  return c.take('PROJECTION', 'POLICY') ? 'PROJECTION' : undefined;
}

function readGovernance(c: Cursor, context: NameContext): GovernanceOp | undefined {
  const word = (): string => resolveIdentifier(c.parts()?.[0] ?? '');
  const string = (): string => {
    const value = snowflakeStringValue(c.peek());
    if (value === undefined) throw syntaxError(`syntax error: expected a string near '${c.peek()?.text ?? 'end of statement'}'`);
    c.i++;
    return value;
  };
  const columns = (): string[] => {
    const [open, close] = c.group();
    return c.tokens.slice(open + 1, close).filter((t) => !isOp(t, ',')).map((t) => resolveIdentifier(t.text));
  };
  const relationObject = (): RelationObject | undefined => OBJECTS.find((o) => c.take(...o.split(' ')));
  if (c.take('GRANT')) {
    if (c.take('ROLE')) {
      const role = word();
      c.expect('TO', 'ROLE');
      return { op: 'grant-role', role, to: word() };
    }
    if (c.take('USAGE', 'ON')) {
      const on = c.take('DATABASE') ? 'DATABASE' : c.take('SCHEMA') ? 'SCHEMA' : undefined;
      if (!on) return undefined;
      // A database or schema name, not a relation's: its parts as written, resolved.
      const name = (c.parts() ?? []).map(resolveIdentifier).join('.');
      c.expect('TO', 'ROLE');
      return { op: 'grant-usage', on, name, role: word() };
    }
    if (!c.take('SELECT', 'ON')) return undefined;
    const object = relationObject();
    if (!object) return undefined;
    const relation = c.name(context);
    c.expect('TO', 'ROLE');
    return { op: 'grant-select', object, relation, role: word() };
  }
  if (c.take('REVOKE')) {
    if (!c.take('SELECT', 'ON')) return undefined;
    const object = relationObject();
    if (!object) return undefined;
    const relation = c.name(context);
    c.expect('FROM', 'ROLE');
    return { op: 'revoke-select', object, relation, role: word() };
  }
  if (c.take('DROP')) {
    const kind = policyKind(c);
    if (!kind) return undefined;
    const ifExists = c.take('IF', 'EXISTS');
    return { op: 'drop-policy', kind, policy: c.name(context), ifExists };
  }
  if (c.take('CREATE')) {
    const orReplace = c.take('OR', 'REPLACE');
    if (c.take('ROLE')) {
      const op = { op: 'create-role', ifNotExists: c.take('IF', 'NOT', 'EXISTS'), role: word() } as const;
      skipComment(c, string);
      return op;
    }
    if (c.take('TAG')) {
      const ifNotExists = c.take('IF', 'NOT', 'EXISTS');
      const tag = c.name(context);
      let allowedValues: string[] | undefined;
      if (c.take('ALLOWED_VALUES')) {
        allowedValues = [string()];
        while (c.take(',')) allowedValues.push(string());
      }
      skipComment(c, string);
      return { op: 'create-tag', tag, allowedValues, ifNotExists };
    }
    const kind = policyKind(c);
    if (!kind) return undefined;
    const ifNotExists = c.take('IF', 'NOT', 'EXISTS');
    const policy = c.name(context);
    c.expect('AS');
    if (!isOp(c.peek(), '(')) throw syntaxError('syntax error: a policy needs its signature');
    const args = signature(c);
    c.expect('RETURNS');
    const typeStart = c.i;
    while (!c.done && !isOp(c.peek(), '->')) c.i++;
    const returns = c.slice(typeStart, c.i).toUpperCase();
    return { op: 'create-policy', kind, policy, args, returns, body: body(c, string), ifNotExists, orReplace };
  }
  if (!c.take('ALTER')) return undefined;
  if (c.take('TAG')) {
    const tag = c.name(context);
    const set = c.take('SET');
    if (!set) c.expect('UNSET');
    const policies: ObjectName[] = [];
    do {
      c.expect('MASKING', 'POLICY');
      policies.push(c.name(context));
    } while (c.take(','));
    return set ? { op: 'tag-masking', tag, policies, force: c.take('FORCE') } : { op: 'tag-unset-masking', tag, policies };
  }
  const kind = policyKind(c);
  if (kind) {
    const ifExists = c.take('IF', 'EXISTS');
    const policy = c.name(context);
    if (c.take('RENAME', 'TO')) return { op: 'rename-policy', kind, policy, to: c.name(context), ifExists };
    if (!c.take('SET', 'BODY')) throw unsupported(`ALTER ${kind} POLICY ... ${c.peek()?.text.toUpperCase() ?? ''}`);
    return { op: 'set-body', kind, policy, body: body(c, string) };
  }
  const object = relationObject();
  if (!object) return undefined;
  c.take('IF', 'EXISTS');
  const relation = c.name(context);
  if (c.at('ADD', 'ROW', 'ACCESS', 'POLICY') || c.at('DROP', 'ROW', 'ACCESS', 'POLICY')) {
    let drop: ObjectName | undefined;
    let add: { policy: ObjectName; on: string[] } | undefined;
    do {
      if (c.take('DROP', 'ROW', 'ACCESS', 'POLICY')) drop = c.name(context);
      else {
        c.expect('ADD', 'ROW', 'ACCESS', 'POLICY');
        const policy = c.name(context);
        c.expect('ON');
        add = { policy, on: columns() };
      }
    } while (c.take(','));
    return { op: 'row-access', object, relation, drop, add };
  }
  if (!(c.take('MODIFY') || c.take('ALTER'))) return undefined;
  c.take('COLUMN');
  const column = word();
  const on = { object, relation, column };
  if (c.take('SET', 'MASKING', 'POLICY')) {
    const policy = c.name(context);
    const using = c.take('USING') ? columns() : undefined;
    return { op: 'set-masking', ...on, policy, using, force: c.take('FORCE') };
  }
  if (c.take('SET', 'PROJECTION', 'POLICY')) return { op: 'set-projection', ...on, policy: c.name(context), force: c.take('FORCE') };
  if (c.take('UNSET', 'MASKING', 'POLICY')) return { op: 'unset-masking', ...on };
  if (c.take('UNSET', 'PROJECTION', 'POLICY')) return { op: 'unset-projection', ...on };
  if (c.take('SET', 'TAG')) {
    const tags: Array<readonly [ObjectName, string]> = [];
    do {
      const tag = c.name(context);
      c.expect('=');
      tags.push([tag, string()]);
    } while (c.take(','));
    return { op: 'set-tag', ...on, tags };
  }
  if (c.take('UNSET', 'TAG')) {
    const tags: ObjectName[] = [];
    do tags.push(c.name(context));
    while (c.take(','));
    return { op: 'unset-tag', ...on, tags };
  }
  return undefined;
}

/** `(name type, ...)`: each argument's name (resolved) and type as written, upper-cased. */
function signature(c: Cursor): Array<readonly [string, string]> {
  const [open, close] = c.group();
  const args: Array<readonly [string, string]> = [];
  let from = open + 1;
  let depth = 0;
  for (let k = open + 1; k <= close; k++) {
    const t = c.tokens[k]!;
    if (isOp(t, '(')) depth++;
    else if (isOp(t, ')') && k < close) depth--;
    else if ((isOp(t, ',') && depth === 0) || k === close) {
      if (k > from) args.push([resolveIdentifier(c.tokens[from]!.text), c.slice(from + 1, k).toUpperCase()]);
      from = k + 1;
    }
  }
  return args;
}

/** `-> <expression> [COMMENT = '...']`: the expression as written. */
function body(c: Cursor, string: () => string): string {
  if (!isOp(c.peek(), '->')) throw syntaxError("syntax error: expected '->' before the policy body");
  c.i++;
  const from = c.i;
  while (!c.done && !c.at('COMMENT', '=')) c.i++;
  const text = c.slice(from, c.i);
  skipComment(c, string);
  return text;
}

function skipComment(c: Cursor, string: () => string): void {
  if (c.take('COMMENT', '=')) string();
}
