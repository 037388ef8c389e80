// Governance on the loopback server: roles and their grants, tags, masking, row access and projection policies, and
// what is attached to each relation and tag. Nothing is enforced (a masked column reads in clear); the server keeps
// the state, so a test can see what charter attached where, and refuses what Snowflake refuses where charter depends
// on it: naming a policy, tag or role that does not exist, a relation of another kind, a second row access policy, a
// masking or projection policy over another without FORCE, a conditional masking policy without its USING columns,
// and replacing, dropping or renaming over a policy in the way (an attached one cannot be replaced or dropped).
// Attachments belong to the relation object, so they follow it through SWAP WITH and RENAME and go with it on DROP or
// CREATE OR REPLACE; and to the policy object, so they follow it through ALTER ... POLICY ... RENAME TO. DESCRIBE ...
// POLICY reads a policy back; INFORMATION_SCHEMA.POLICY_REFERENCES, TAG_REFERENCES and SHOW GRANTS ON are in
// loopback-governance-read.ts. The statements are read in loopback-governance-sql.ts.
import { nameKey, SnowflakeError, type ObjectName } from './loopback-names.js';
import type { RelationRecord } from './loopback-catalog.js';
import type { GovernanceOp, PolicyKind, RelationObject } from './loopback-governance-sql.js';

export { planGovernance, type GovernanceOp, type PolicyKind, type RelationObject } from './loopback-governance-sql.js';

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

/** A policy object: its arguments (name, type as written), what it returns and its body (as last set). */
export interface PolicyState {
  readonly args: ReadonlyArray<readonly [string, string]>;
  readonly returns: string;
  body: string;
}

/** A catalog result (DESCRIBE, POLICY_REFERENCES), every column text. */
export interface TextTable {
  readonly columns: ReadonlyArray<readonly [string, 'VARCHAR']>;
  readonly rows: Array<Array<string | null>>;
}

const POLICY_WORD: Readonly<Record<PolicyKind, string>> = { MASKING: 'Masking', 'ROW ACCESS': 'Row access', PROJECTION: 'Projection' };

export const notFound = (what: string, name: string): SnowflakeError =>
  new SnowflakeError('002003', '02000', `SQL compilation error:\n${what} '${name}' does not exist or not authorized.`);
const compilation = (code: string, message: string): SnowflakeError => new SnowflakeError(code, '42601', `SQL compilation error:\n${message}`);

/** Roles every account has. */
const SYSTEM_ROLES = ['ACCOUNTADMIN', 'SECURITYADMIN', 'USERADMIN', 'SYSADMIN', 'ORGADMIN', 'PUBLIC'];

/** A type as DESCRIBE prints an argument's: without its parameters. */
const baseType = (type: string): string => type.replace(/\(.*\)$/, '').trim().replace(/^(STRING|TEXT)$/, 'VARCHAR');
/** A type as DESCRIBE prints a return type: whole, Snowflake's defaults filled in. */
function fullType(type: string): string {
  const t = type.trim();
  if (/^(VARCHAR|STRING|TEXT)$/.test(t)) return 'VARCHAR(16777216)';
  if (/^(NUMBER|DECIMAL|NUMERIC|INT|INTEGER|BIGINT)$/.test(t)) return 'NUMBER(38,0)';
  return t;
}

export class GovernanceState {
  readonly roles = new Set<string>(SYSTEM_ROLES);
  /** Role to the roles granted to it. */
  readonly roleGrants = new Map<string, Set<string>>();
  readonly tags = new Map<string, { allowedValues: readonly string[] | undefined; masking: Map<string, string> }>();
  /** Policies by name (`DB.SCHEMA.NAME`). */
  readonly masking = new Map<string, PolicyState>();
  readonly rowAccess = new Map<string, PolicyState>();
  readonly projection = new Map<string, PolicyState>();
  /** USAGE grants: `DATABASE DB` or `SCHEMA DB.SCHEMA` to the roles granted it. */
  readonly usage = new Map<string, Set<string>>();
  /** By relation (`DB.SCHEMA.NAME`): what is attached to the relation now under that name. */
  readonly relations = new Map<string, RelationGovernanceState>();

  constructor(readonly records: ReadonlyMap<string, RelationRecord>) {}

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
      case 'revoke-select':
        // Revoking what was not granted does nothing.
        if (!this.roles.has(op.role)) throw notFound('Role', op.role);
        this.on(op.object, op.relation).grants.delete(op.role);
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
      case 'set-body':
        this.policy(op.kind, op.policy).body = op.body;
        return;
      case 'rename-policy':
        this.renamePolicy(op);
        return;
      case 'drop-policy': {
        const key = nameKey(op.policy);
        if (!this.policies(op.kind).has(key)) {
          if (op.ifExists) return;
          throw notFound(`${POLICY_WORD[op.kind]} policy`, key);
        }
        if (this.attached(key)) throw compilation('003199', `Policy '${key}' cannot be dropped or replaced: it is attached to one or more objects.`);
        this.policies(op.kind).delete(key);
        return;
      }
      case 'tag-masking': {
        const tag = this.tag(op.tag);
        for (const name of op.policies) {
          const policy = this.policy('MASKING', name);
          // One policy per data type on a tag; FORCE replaces it.
          if (tag.masking.has(policy.returns) && !op.force) {
            throw compilation('003196', `Tag '${nameKey(op.tag)}' already has a masking policy for data type ${policy.returns}; use FORCE to replace it.`);
          }
          tag.masking.set(policy.returns, nameKey(name));
        }
        return;
      }
      case 'tag-unset-masking': {
        const tag = this.tag(op.tag);
        for (const name of op.policies) {
          const type = [...tag.masking].find(([, policy]) => policy === nameKey(name))?.[0];
          if (type === undefined) throw compilation('003197', `Masking policy '${nameKey(name)}' is not set on tag '${nameKey(op.tag)}'.`);
          tag.masking.delete(type);
        }
        return;
      }
      case 'set-masking': {
        const policy = this.policy('MASKING', op.policy);
        // A conditional policy reads the columns USING names, the masked one first (unverified: Snowflake's wording).
        const expected = policy.args.length;
        if (op.using ? op.using.length !== expected || op.using[0] !== op.column : expected > 1) {
          throw compilation('003195', `Masking policy '${nameKey(op.policy)}' takes ${expected} argument${expected === 1 ? '' : 's'}: USING must name column '${op.column}' and ${expected - 1} more.`);
        }
        const state = this.on(op.object, op.relation);
        if (state.masking.has(op.column) && !op.force) throw compilation('003190', `Column '${op.column}' already has a masking policy; use FORCE to replace it.`);
        state.masking.set(op.column, nameKey(op.policy));
        return;
      }
      case 'set-projection': {
        this.policy('PROJECTION', op.policy);
        const state = this.on(op.object, op.relation);
        // A column has at most one projection policy; FORCE replaces it in one statement.
        if (state.projection.has(op.column) && !op.force) throw compilation('003190', `Column '${op.column}' already has a projection policy; use FORCE to replace it.`);
        state.projection.set(op.column, nameKey(op.policy));
        return;
      }
      case 'unset-masking':
        this.on(op.object, op.relation).masking.delete(op.column);
        return;
      case 'unset-projection':
        this.on(op.object, op.relation).projection.delete(op.column);
        return;
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
      case 'unset-tag': {
        const state = this.on(op.object, op.relation);
        for (const name of op.tags) {
          this.tag(name);
          state.tags.get(op.column)?.delete(nameKey(name));
        }
        if (state.tags.get(op.column)?.size === 0) state.tags.delete(op.column);
        return;
      }
      case 'row-access': {
        // One statement: the old policy is dropped and the new one added together, or neither is.
        const state = this.on(op.object, op.relation);
        if (op.drop && state.rowAccess?.policy !== nameKey(op.drop)) {
          throw compilation('003192', `Row access policy '${nameKey(op.drop)}' is not attached to '${nameKey(op.relation)}'.`);
        }
        if (op.add) this.policy('ROW ACCESS', op.add.policy);
        if (op.add && state.rowAccess && !op.drop) throw compilation('003191', `Object '${nameKey(op.relation)}' already has a row access policy.`);
        state.rowAccess = op.add ? { policy: nameKey(op.add.policy), on: op.add.on } : undefined;
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

  /**
   * CREATE DATABASE to CLONE from: its policies, tags, schema USAGE grants and what is attached to its relations,
   * grants included, are the clone's too. A reference to a policy or tag in the source database becomes one to its
   * clone, as Snowflake clones a table whose policy lives in the same database; one elsewhere stays as it is.
   */
  cloneDatabase(from: string, to: string): void {
    const inFrom = (key: string): boolean => key.startsWith(`${from}.`);
    const moved = (key: string): string => (inFrom(key) ? `${to}.${key.slice(from.length + 1)}` : key);
    const follow = (map: ReadonlyMap<string, string>): Map<string, string> => new Map([...map].map(([k, v]) => [k, moved(v)]));
    for (const kind of ['MASKING', 'ROW ACCESS', 'PROJECTION'] as const) {
      const policies = this.policies(kind);
      for (const [key, policy] of [...policies]) if (inFrom(key)) policies.set(moved(key), { ...policy, args: [...policy.args] });
    }
    for (const [key, tag] of [...this.tags]) if (inFrom(key)) this.tags.set(moved(key), { allowedValues: tag.allowedValues, masking: follow(tag.masking) });
    for (const [key, roles] of [...this.usage]) if (key.startsWith(`SCHEMA ${from}.`)) this.usage.set(`SCHEMA ${moved(key.slice('SCHEMA '.length))}`, new Set(roles));
    for (const [key, state] of [...this.relations]) {
      if (!inFrom(key)) continue;
      this.relations.set(moved(key), {
        masking: follow(state.masking),
        projection: follow(state.projection),
        tags: new Map([...state.tags].map(([column, tags]) => [column, new Map([...tags].map(([tag, value]) => [moved(tag), value]))])),
        rowAccess: state.rowAccess ? { policy: moved(state.rowAccess.policy), on: state.rowAccess.on } : undefined,
        grants: new Set(state.grants),
      });
    }
  }

  /** DROP DATABASE: its policies, tags, grants and attachments go with it. */
  forgetDatabase(name: string): void {
    const inside = (key: string): boolean => key.startsWith(`${name}.`);
    for (const kind of ['MASKING', 'ROW ACCESS', 'PROJECTION'] as const) for (const key of [...this.policies(kind).keys()]) if (inside(key)) this.policies(kind).delete(key);
    for (const key of [...this.tags.keys()]) if (inside(key)) this.tags.delete(key);
    for (const key of [...this.usage.keys()]) if (key === `DATABASE ${name}` || key.startsWith(`SCHEMA ${name}.`)) this.usage.delete(key);
    for (const key of [...this.relations.keys()]) if (inside(key)) this.relations.delete(key);
  }

  /** DESCRIBE ... POLICY: one row, its signature's types without parameters, its return type whole. */
  describePolicy(kind: PolicyKind, name: ObjectName): TextTable {
    const policy = this.policy(kind, name);
    const signature = `(${policy.args.map(([arg, type]) => `${arg} ${baseType(type)}`).join(', ')})`;
    return {
      columns: [['name', 'VARCHAR'], ['signature', 'VARCHAR'], ['return_type', 'VARCHAR'], ['body', 'VARCHAR']],
      rows: [[name.name, signature, fullType(policy.returns), policy.body]],
    };
  }

  private createPolicy(op: Extract<GovernanceOp, { op: 'create-policy' }>): void {
    const key = nameKey(op.policy);
    const policies = this.policies(op.kind);
    if (policies.has(key)) {
      if (op.ifNotExists) return;
      if (!op.orReplace) throw new SnowflakeError('002002', '42710', `SQL compilation error:\nObject '${key}' already exists.`);
      if (this.attached(key)) throw compilation('003199', `Policy '${key}' cannot be dropped or replaced: it is attached to one or more objects.`);
    }
    policies.set(key, { args: op.args, returns: op.returns, body: op.body });
  }

  /** The policy object takes the new name, and every attachment goes with it. */
  private renamePolicy(op: Extract<GovernanceOp, { op: 'rename-policy' }>): void {
    const [from, to] = [nameKey(op.policy), nameKey(op.to)];
    const policies = this.policies(op.kind);
    const policy = policies.get(from);
    if (!policy) {
      if (op.ifExists) return;
      throw notFound(`${POLICY_WORD[op.kind]} policy`, from);
    }
    if ((['MASKING', 'ROW ACCESS', 'PROJECTION'] as const).some((k) => this.policies(k).has(to))) throw new SnowflakeError('002002', '42710', `SQL compilation error:\nObject '${to}' already exists.`);
    policies.delete(from);
    policies.set(to, policy);
    const follow = (map: Map<string, string>): void => {
      for (const [k, v] of map) if (v === from) map.set(k, to);
    };
    for (const tag of this.tags.values()) follow(tag.masking);
    for (const state of this.relations.values()) {
      follow(state.masking);
      follow(state.projection);
      if (state.rowAccess?.policy === from) state.rowAccess = { ...state.rowAccess, policy: to };
    }
  }

  policies(kind: PolicyKind): Map<string, PolicyState> {
    return kind === 'MASKING' ? this.masking : kind === 'ROW ACCESS' ? this.rowAccess : this.projection;
  }

  private policy(kind: PolicyKind, name: ObjectName): PolicyState {
    const policy = this.policies(kind).get(nameKey(name));
    if (!policy) throw notFound(`${POLICY_WORD[kind]} policy`, nameKey(name));
    return policy;
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
