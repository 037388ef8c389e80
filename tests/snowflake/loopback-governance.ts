// Governance statements on the loopback server: roles and their grants, tags, masking and row access policies, and
// what is attached to each relation. Nothing is enforced (a masked column reads in clear); the server keeps the
// state, so a test can see what charter attached where, and refuses what Snowflake refuses where charter depends on
// it: naming a policy, tag or role that does not exist, a relation of another kind, a second row access policy,
// a masking policy over another without FORCE, and replacing a policy that is attached. Attachments belong to the
// relation object, so they follow it through SWAP WITH and RENAME and go with it on DROP or CREATE OR REPLACE.
import { isOp, snowflakeStringValue } from '../../src/adapters/duckdb/sql-tokens.js';
import { nameKey, SnowflakeError, syntaxError, unsupported, type Cursor, type NameContext, type ObjectName } from './loopback-names.js';
import type { RelationRecord } from './loopback-catalog.js';
import { resolveIdentifier } from './loopback-sql.js';

export type PolicyKind = 'MASKING' | 'ROW ACCESS' | 'PROJECTION';
/** How a statement names a relation; Snowflake refuses ALTER TABLE on a view and the other way round. */
export type RelationObject = 'TABLE' | 'VIEW' | 'DYNAMIC TABLE';

export type GovernanceOp =
  | { readonly op: 'create-role'; readonly role: string; readonly ifNotExists: boolean }
  | { readonly op: 'grant-role'; readonly role: string; readonly to: string }
  | { readonly op: 'grant-select'; readonly object: RelationObject; readonly relation: ObjectName; readonly role: string }
  | { readonly op: 'grant-usage'; readonly on: 'DATABASE' | 'SCHEMA'; readonly name: string; readonly role: string }
  | { readonly op: 'create-tag'; readonly tag: ObjectName; readonly allowedValues: readonly string[] | undefined; readonly ifNotExists: boolean }
  | { readonly op: 'create-policy'; readonly kind: PolicyKind; readonly policy: ObjectName; readonly returns: string; readonly body: string; readonly ifNotExists: boolean; readonly orReplace: boolean }
  | { readonly op: 'set-body'; readonly kind: PolicyKind; readonly policy: ObjectName; readonly body: string }
  | { readonly op: 'tag-masking'; readonly tag: ObjectName; readonly policies: readonly ObjectName[]; readonly force: boolean }
  | { readonly op: 'set-masking'; readonly object: RelationObject; readonly relation: ObjectName; readonly column: string; readonly policy: ObjectName; readonly force: boolean }
  | { readonly op: 'set-projection'; readonly object: RelationObject; readonly relation: ObjectName; readonly column: string; readonly policy: ObjectName; readonly force: boolean }
  | { readonly op: 'set-tag'; readonly object: RelationObject; readonly relation: ObjectName; readonly column: string; readonly tags: ReadonlyArray<readonly [ObjectName, string]> }
  | { readonly op: 'add-row-access'; readonly object: RelationObject; readonly relation: ObjectName; readonly policy: ObjectName; readonly on: readonly string[] };

/** What is attached to one relation. */
export interface RelationGovernanceState {
  /** Column to masking policy (`DB.SCHEMA.NAME`). */
  readonly masking: Map<string, string>;
  /** Column to projection policy (`DB.SCHEMA.NAME`). */
  readonly projection: Map<string, string>;
  /** Column to tag (`DB.SCHEMA.NAME`) to value. */
  readonly tags: Map<string, Map<string, string>>;
  rowAccess: { readonly policy: string; readonly on: readonly string[] } | undefined;
  readonly grants: Set<string>;
}

const OBJECTS: readonly RelationObject[] = ['DYNAMIC TABLE', 'TABLE', 'VIEW'];

/**
 * The plan of a governance statement, or undefined (cursor untouched) for any other: CREATE ROLE | TAG | MASKING
 * POLICY | ROW ACCESS POLICY | PROJECTION POLICY, ALTER ... POLICY ... SET BODY, ALTER TAG ... SET MASKING POLICY,
 * ALTER TABLE | VIEW | DYNAMIC TABLE ... MODIFY COLUMN ... SET MASKING POLICY | SET PROJECTION POLICY | SET TAG,
 * ... ADD ROW ACCESS POLICY, GRANT ROLE, GRANT SELECT, GRANT USAGE ON DATABASE | SCHEMA.
 */
export function planGovernance(c: Cursor, context: NameContext): GovernanceOp | undefined {
  const start = c.i;
  const op = readGovernance(c, context);
  if (!op) c.i = start;
  else if (!c.done) throw syntaxError(`syntax error: unexpected '${c.peek()?.text}'`);
  return op;
}

function readGovernance(c: Cursor, context: NameContext): GovernanceOp | undefined {
  const word = (): string => resolveIdentifier(c.parts()?.[0] ?? '');
  const string = (): string => {
    const value = snowflakeStringValue(c.peek());
    if (value === undefined) throw syntaxError(`syntax error: expected a string near '${c.peek()?.text ?? 'end of statement'}'`);
    c.i++;
    return value;
  };
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
    const object = OBJECTS.find((o) => c.take(...o.split(' ')));
    if (!object) return undefined;
    const relation = c.name(context);
    c.expect('TO', 'ROLE');
    return { op: 'grant-select', object, relation, role: word() };
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
    c.group();
    c.expect('RETURNS');
    const typeStart = c.i;
    while (!c.done && !isOp(c.peek(), '->')) c.i++;
    const returns = c.slice(typeStart, c.i).toUpperCase();
    return { op: 'create-policy', kind, policy, returns, body: body(c, string), ifNotExists, orReplace };
  }
  if (!c.take('ALTER')) return undefined;
  if (c.take('TAG')) {
    const tag = c.name(context);
    c.expect('SET');
    const policies: ObjectName[] = [];
    do {
      c.expect('MASKING', 'POLICY');
      policies.push(c.name(context));
    } while (c.take(','));
    return { op: 'tag-masking', tag, policies, force: c.take('FORCE') };
  }
  const kind = policyKind(c);
  if (kind) {
    c.take('IF', 'EXISTS');
    const policy = c.name(context);
    if (!c.take('SET', 'BODY')) throw unsupported(`ALTER ${kind} POLICY ... ${c.peek()?.text.toUpperCase() ?? ''}`);
    return { op: 'set-body', kind, policy, body: body(c, string) };
  }
  const object = OBJECTS.find((o) => c.take(...o.split(' ')));
  if (!object) return undefined;
  c.take('IF', 'EXISTS');
  const relation = c.name(context);
  if (c.take('ADD', 'ROW', 'ACCESS', 'POLICY')) {
    const policy = c.name(context);
    c.expect('ON');
    const [open, close] = c.group();
    const on = c.tokens.slice(open + 1, close).filter((t) => !isOp(t, ',')).map((t) => resolveIdentifier(t.text));
    return { op: 'add-row-access', object, relation, policy, on };
  }
  if (!(c.take('MODIFY') || c.take('ALTER'))) return undefined;
  c.take('COLUMN');
  const column = word();
  if (c.take('SET', 'MASKING', 'POLICY')) {
    const policy = c.name(context);
    if (c.at('USING')) throw unsupported('SET MASKING POLICY ... USING (conditional masking)');
    return { op: 'set-masking', object, relation, column, policy, force: c.take('FORCE') };
  }
  if (c.take('SET', 'PROJECTION', 'POLICY')) return { op: 'set-projection', object, relation, column, policy: c.name(context), force: c.take('FORCE') };
  if (c.take('SET', 'TAG')) {
    const tags: Array<readonly [ObjectName, string]> = [];
    do {
      const tag = c.name(context);
      c.expect('=');
      tags.push([tag, string()]);
    } while (c.take(','));
    return { op: 'set-tag', object, relation, column, tags };
  }
  return undefined;
}

function policyKind(c: Cursor): PolicyKind | undefined {
  if (c.take('MASKING', 'POLICY')) return 'MASKING';
  if (c.take('ROW', 'ACCESS', 'POLICY')) return 'ROW ACCESS';
  return c.take('PROJECTION', 'POLICY') ? 'PROJECTION' : undefined;
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

const POLICY_WORD: Readonly<Record<PolicyKind, string>> = { MASKING: 'Masking', 'ROW ACCESS': 'Row access', PROJECTION: 'Projection' };

const notFound = (what: string, name: string): SnowflakeError =>
  new SnowflakeError('002003', '02000', `SQL compilation error:\n${what} '${name}' does not exist or not authorized.`);

/** Roles every account has. */
const SYSTEM_ROLES = ['ACCOUNTADMIN', 'SECURITYADMIN', 'USERADMIN', 'SYSADMIN', 'ORGADMIN', 'PUBLIC'];

export class GovernanceState {
  readonly roles = new Set<string>(SYSTEM_ROLES);
  /** Role to the roles granted to it. */
  readonly roleGrants = new Map<string, Set<string>>();
  readonly tags = new Map<string, { allowedValues: readonly string[] | undefined; masking: Map<string, string> }>();
  /** Policy (`DB.SCHEMA.NAME`) to what it returns and its body (as last set). */
  readonly masking = new Map<string, { returns: string; body: string }>();
  readonly rowAccess = new Map<string, { returns: string; body: string }>();
  readonly projection = new Map<string, { returns: string; body: string }>();
  /** USAGE grants: `DATABASE DB` or `SCHEMA DB.SCHEMA` to the roles granted it. */
  readonly usage = new Map<string, Set<string>>();
  /** By relation (`DB.SCHEMA.NAME`): what is attached to the relation now under that name. */
  readonly relations = new Map<string, RelationGovernanceState>();

  constructor(private readonly records: Map<string, RelationRecord>) {}

  apply(op: GovernanceOp): void {
    switch (op.op) {
      case 'create-role':
        if (this.roles.has(op.role) && !op.ifNotExists) throw new SnowflakeError('002002', '42710', `SQL compilation error:\nObject '${op.role}' already exists.`);
        this.roles.add(op.role);
        return;
      case 'grant-role':
        for (const role of [op.role, op.to]) if (!this.roles.has(role)) throw notFound('Role', role);
        this.roleGrants.set(op.to, (this.roleGrants.get(op.to) ?? new Set()).add(op.role));
        return;
      case 'grant-select':
        if (!this.roles.has(op.role)) throw notFound('Role', op.role);
        this.on(op.object, op.relation).grants.add(op.role);
        return;
      case 'create-tag': {
        const key = nameKey(op.tag);
        if (this.tags.has(key) && !op.ifNotExists) throw new SnowflakeError('002002', '42710', `SQL compilation error:\nObject '${key}' already exists.`);
        if (!this.tags.has(key)) this.tags.set(key, { allowedValues: op.allowedValues, masking: new Map() });
        return;
      }
      case 'create-policy':
        this.createPolicy(op);
        return;
      case 'grant-usage': {
        if (!this.roles.has(op.role)) throw notFound('Role', op.role);
        const key = `${op.on} ${op.name}`;
        this.usage.set(key, (this.usage.get(key) ?? new Set()).add(op.role));
        return;
      }
      case 'set-body': {
        const policy = this.policies(op.kind).get(nameKey(op.policy));
        if (!policy) throw notFound(`${POLICY_WORD[op.kind]} policy`, nameKey(op.policy));
        policy.body = op.body;
        return;
      }
      case 'tag-masking': {
        const tag = this.tag(op.tag);
        for (const name of op.policies) {
          const policy = this.masking.get(nameKey(name));
          if (!policy) throw notFound('Masking policy', nameKey(name));
          // One policy per data type on a tag; FORCE replaces it.
          if (tag.masking.has(policy.returns) && !op.force) {
            throw new SnowflakeError('003196', '42601', `SQL compilation error:\nTag '${nameKey(op.tag)}' already has a masking policy for data type ${policy.returns}; use FORCE to replace it.`);
          }
          tag.masking.set(policy.returns, nameKey(name));
        }
        return;
      }
      case 'set-masking': {
        if (!this.masking.has(nameKey(op.policy))) throw notFound('Masking policy', nameKey(op.policy));
        const state = this.on(op.object, op.relation);
        if (state.masking.has(op.column) && !op.force) {
          throw new SnowflakeError('003190', '42601', `SQL compilation error:\nColumn '${op.column}' already has a masking policy; use FORCE to replace it.`);
        }
        state.masking.set(op.column, nameKey(op.policy));
        return;
      }
      case 'set-projection': {
        if (!this.projection.has(nameKey(op.policy))) throw notFound('Projection policy', nameKey(op.policy));
        const state = this.on(op.object, op.relation);
        // A column has at most one projection policy; FORCE replaces it in one statement.
        if (state.projection.has(op.column) && !op.force) {
          throw new SnowflakeError('003190', '42601', `SQL compilation error:\nColumn '${op.column}' already has a projection policy; use FORCE to replace it.`);
        }
        state.projection.set(op.column, nameKey(op.policy));
        return;
      }
      case 'set-tag': {
        const state = this.on(op.object, op.relation);
        for (const [name, value] of op.tags) {
          const tag = this.tag(name);
          if (tag.allowedValues && !tag.allowedValues.includes(value)) {
            throw new SnowflakeError('003167', '22023', `SQL compilation error:\nTag '${nameKey(name)}' does not allow the value '${value}'.`);
          }
          state.tags.set(op.column, (state.tags.get(op.column) ?? new Map()).set(nameKey(name), value));
        }
        return;
      }
      case 'add-row-access': {
        if (!this.rowAccess.has(nameKey(op.policy))) throw notFound('Row access policy', nameKey(op.policy));
        const state = this.on(op.object, op.relation);
        if (state.rowAccess) throw new SnowflakeError('003191', '42601', `SQL compilation error:\nObject '${nameKey(op.relation)}' already has a row access policy.`);
        state.rowAccess = { policy: nameKey(op.policy), on: op.on };
        return;
      }
    }
  }

  /** SWAP WITH exchanges two relations' names: each keeps what is attached to it. */
  swap(a: ObjectName, b: ObjectName): void {
    const [ga, gb] = [this.relations.get(nameKey(a)), this.relations.get(nameKey(b))];
    this.forget(a);
    this.forget(b);
    if (gb) this.relations.set(nameKey(a), gb);
    if (ga) this.relations.set(nameKey(b), ga);
  }

  move(from: ObjectName, to: ObjectName): void {
    const governance = this.relations.get(nameKey(from));
    this.forget(from);
    this.forget(to);
    if (governance) this.relations.set(nameKey(to), governance);
  }

  /** The relation under this name is gone, or a new one took it: nothing is attached to it. */
  forget(relation: ObjectName): void {
    this.relations.delete(nameKey(relation));
  }

  private createPolicy(op: Extract<GovernanceOp, { op: 'create-policy' }>): void {
    const key = nameKey(op.policy);
    const policies = this.policies(op.kind);
    if (policies.has(key)) {
      if (op.ifNotExists) return;
      if (!op.orReplace) throw new SnowflakeError('002002', '42710', `SQL compilation error:\nObject '${key}' already exists.`);
      if (this.attached(key)) throw new SnowflakeError('003199', '42601', `SQL compilation error:\nPolicy '${key}' cannot be replaced: it is attached to one or more objects.`);
    }
    policies.set(key, { returns: op.returns, body: op.body });
  }

  private policies(kind: PolicyKind): Map<string, { returns: string; body: string }> {
    return kind === 'MASKING' ? this.masking : kind === 'ROW ACCESS' ? this.rowAccess : this.projection;
  }

  private attached(policy: string): boolean {
    const onTags = [...this.tags.values()].some((t) => [...t.masking.values()].includes(policy));
    const onRelations = [...this.relations.values()].some((r) => [...r.masking.values(), ...r.projection.values()].includes(policy) || r.rowAccess?.policy === policy);
    return onTags || onRelations;
  }

  private tag(name: ObjectName): { allowedValues: readonly string[] | undefined; masking: Map<string, string> } {
    const tag = this.tags.get(nameKey(name));
    if (!tag) throw notFound('Tag', nameKey(name));
    return tag;
  }

  /** A relation's attachments, after checking that it exists and is what the statement calls it. */
  private on(object: RelationObject, relation: ObjectName): RelationGovernanceState {
    const key = nameKey(relation);
    const record = this.records.get(key);
    if (!record) throw new SnowflakeError('002003', '42S02', `SQL compilation error:\n${object === 'VIEW' ? 'View' : 'Table'} '${key}' does not exist or not authorized.`);
    const actual: RelationObject = record.kind === 'VIEW' ? 'VIEW' : record.dynamic ? 'DYNAMIC TABLE' : 'TABLE';
    if (actual !== object) throw new SnowflakeError('002203', '02000', `SQL compilation error:\nObject found is of type '${actual}', not specified type '${object}'.`);
    let state = this.relations.get(key);
    if (!state) this.relations.set(key, (state = { masking: new Map(), projection: new Map(), tags: new Map(), rowAccess: undefined, grants: new Set() }));
    return state;
  }
}
