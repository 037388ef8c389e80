// How a policy is deployed on Snowflake and where it is attached, read from the warehouse: DESCRIBE ... POLICY for
// its signature and return type, and INFORMATION_SCHEMA.POLICY_REFERENCES for its attachments.
//
// Attachments come from POLICY_REFERENCES, not from charter's deployed state: it is what Snowflake itself checks when
// the old policy is dropped, so it holds everything that would make that DROP fail: attachments made before the
// state recorded them, a contract's product-level default masking, columns protected through a tag (listed with
// the tag's name, and moved by moving the tag's policy), and anything set outside charter. The state could only
// miss some of those, and a replacement would then stop at the DROP, half moved.
import type { Relation } from '../../project/relation.js';
import type { QueryResult, RunStatement } from '../adapter.js';
import { quoteLiteral } from '../dialect.js';
import type { GovernedKind, PolicyAttachment, PolicyLocation, PolicyReader, PolicyRef, PolicySignature } from '../governance.js';
import { snowflakeDialect } from './dialect.js';
import { POLICY_KEYWORD } from './policy-ddl.js';

const q = (name: string): string => snowflakeDialect.quoteIdentifier(name);
const policyName = (at: PolicyLocation, policy: PolicyRef): string => `${q(at.database)}.${q(at.schema)}.${q(policy.name)}`;

/** Snowflake's "does not exist or not authorized" (as the adapter words a failed statement). */
const NOT_FOUND = /\bSnowflake 002003\b|does not exist or not authorized/;

async function deployedPolicy(run: RunStatement, at: PolicyLocation, policy: PolicyRef): Promise<PolicySignature | undefined> {
  let result: QueryResult;
  try {
    result = await run(`DESCRIBE ${POLICY_KEYWORD[policy.kind]} ${policyName(at, policy)}`, { purpose: 'introspect' });
  } catch (e) {
    if (NOT_FOUND.test(e instanceof Error ? e.message : String(e))) return undefined;
    throw e;
  }
  const column = (name: string): string | undefined => result.columns.find((c) => c.name.toLowerCase() === name)?.name;
  const [signature, returns] = [column('signature'), column('return_type')];
  const row = result.rows[0];
  if (!row || !signature || !returns) return undefined;
  return { args: parseSignature(String(row[signature] ?? '()')), returns: String(row[returns] ?? '') };
}

/** DESCRIBE's signature, `(VAL VARCHAR, CONSENT BOOLEAN)`; a type may carry parameters (commas in parentheses). */
export function parseSignature(text: string): PolicySignature['args'] {
  const inner = text.trim().replace(/^\(/, '').replace(/\)$/, '').trim();
  if (!inner) return [];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '(') depth++;
    else if (inner[i] === ')') depth--;
    else if (inner[i] === ',' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts.map((part) => {
    const m = /^\s*("(?:[^"]|"")*"|\S+)\s+(.+?)\s*$/.exec(part);
    const name = m?.[1] ?? part.trim();
    return { name: name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name, type: m?.[2] ?? '' };
  });
}

const REFERENCE_COLUMNS = ['REF_DATABASE_NAME', 'REF_SCHEMA_NAME', 'REF_ENTITY_NAME', 'REF_ENTITY_DOMAIN', 'REF_COLUMN_NAME', 'REF_ARG_COLUMN_NAMES', 'TAG_DATABASE', 'TAG_SCHEMA', 'TAG_NAME'];

async function policyAttachments(run: RunStatement, at: PolicyLocation, policy: PolicyRef): Promise<PolicyAttachment[]> {
  const result = await run(
    `SELECT ${REFERENCE_COLUMNS.join(', ')} FROM TABLE(${q(at.database)}.INFORMATION_SCHEMA.POLICY_REFERENCES(POLICY_NAME => ${quoteLiteral(policyName(at, policy))}))`,
    { purpose: 'introspect' },
  );
  const attachments: PolicyAttachment[] = [];
  const tags = new Set<string>();
  for (const row of result.rows) {
    const [database, schema, entity, domain, column, args, tagDatabase, tagSchema, tagName] = result.columns.map((c) => row[c.name]);
    const text = (v: unknown): string | undefined => (v === null || v === undefined || v === '' ? undefined : String(v));
    if (text(tagName)) {
      // A column protected through a tag: the tag carries the policy, once for all its columns.
      const tag: Relation = { database: String(tagDatabase), schema: String(tagSchema), identifier: String(tagName) };
      const key = `${tag.database}.${tag.schema}.${tag.identifier}`;
      if (!tags.has(key)) attachments.push({ on: 'tag', tag });
      tags.add(key);
      continue;
    }
    const relation: Relation = { database: String(database), schema: String(schema), identifier: String(entity) };
    const object = objectOf(String(domain ?? 'TABLE'));
    if (text(column) && policy.kind !== 'row_access') attachments.push({ on: 'column', relation, object, column: String(column) });
    else if (policy.kind === 'row_access') attachments.push({ on: 'relation', relation, object, columns: argColumns(text(args)) });
  }
  return attachments;
}

/** REF_ENTITY_DOMAIN as the keyword ALTER takes: TABLE, VIEW, DYNAMIC_TABLE (unverified spelling, so both forms). */
function objectOf(domain: string): GovernedKind {
  const d = domain.toUpperCase().replace(/[\s_]+/g, ' ');
  return d === 'VIEW' || d === 'MATERIALIZED VIEW' ? 'view' : d === 'DYNAMIC TABLE' ? 'dynamic_table' : 'table';
}

/** REF_ARG_COLUMN_NAMES: a JSON array of the columns a row access policy (or conditional masking) reads. */
export function argColumns(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return text.replace(/^\[|\]$/g, '').split(',').map((s) => s.trim().replace(/^"|"$/g, '')).filter(Boolean);
  }
}

export const snowflakePolicyReader: PolicyReader = { deployedPolicy, policyAttachments };
