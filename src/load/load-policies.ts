// policies/**/*.yml: the roles, tags, masking, row-access, projection and network policies a project defines once and
// its contracts name. Snowflake folds unquoted names to upper case, so names are kept upper-cased; a name defined
// twice (in two files) is an error at the second. Never throws on bad input.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { compileSchema, validateYaml } from './json-schema.js';
import {
  policyFileSchema, type MaskingPolicyDefinition, type NetworkPolicyDefinition, type PolicyFile, type ProjectionPolicyDefinition,
  type RoleDefinition, type RowAccessPolicyDefinition, type TagDefinition,
} from './policy-schema.js';
import { parseYamlFile } from './yaml-file.js';

export const POLICIES_FOLDER = 'policies';
export const DEFAULT_POLICY_SCHEMA = 'GOVERNANCE';

/** A definition, where it is written, and its name as Snowflake will know it (upper case). */
export interface Defined<T> {
  readonly name: string;
  readonly definition: T;
  readonly location: SourceLocation;
}

export const POLICY_KINDS = ['roles', 'tags', 'masking_policies', 'row_access_policies', 'projection_policies', 'network_policies'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** What one of a kind is called in messages. */
export const KIND_NAME: Readonly<Record<PolicyKind, string>> = {
  roles: 'role', tags: 'tag', masking_policies: 'masking policy', row_access_policies: 'row access policy',
  projection_policies: 'projection policy', network_policies: 'network policy',
};

export interface ProjectPolicies {
  /** The schema policies and tags live in (of the target's database). */
  readonly schema: string;
  readonly roles: ReadonlyMap<string, Defined<RoleDefinition>>;
  readonly tags: ReadonlyMap<string, Defined<TagDefinition>>;
  readonly maskingPolicies: ReadonlyMap<string, Defined<MaskingPolicyDefinition>>;
  readonly rowAccessPolicies: ReadonlyMap<string, Defined<RowAccessPolicyDefinition>>;
  readonly projectionPolicies: ReadonlyMap<string, Defined<ProjectionPolicyDefinition>>;
  readonly networkPolicies: ReadonlyMap<string, Defined<NetworkPolicyDefinition>>;
  /** The files read, project-relative. */
  readonly files: readonly string[];
}

export const NO_POLICIES: ProjectPolicies = {
  schema: DEFAULT_POLICY_SCHEMA, roles: new Map(), tags: new Map(), maskingPolicies: new Map(), rowAccessPolicies: new Map(),
  projectionPolicies: new Map(), networkPolicies: new Map(), files: [],
};

const validatePolicyFile = compileSchema<PolicyFile>('policies', policyFileSchema);

export async function loadPolicies(rootDir: string): Promise<{ policies: ProjectPolicies; diagnostics: Diagnostic[] }> {
  if (!existsSync(path.join(rootDir, POLICIES_FOLDER))) return { policies: NO_POLICIES, diagnostics: [] };
  const files = (await glob([`${POLICIES_FOLDER}/**/*.yml`, `${POLICIES_FOLDER}/**/*.yaml`], { cwd: rootDir, onlyFiles: true })).sort();
  const diagnostics: Diagnostic[] = [];
  const maps = Object.fromEntries(POLICY_KINDS.map((k) => [k, new Map<string, Defined<unknown>>()])) as Record<PolicyKind, Map<string, Defined<unknown>>>;
  let schema: { name: string; location: SourceLocation } | undefined;
  for (const file of files) {
    const yaml = parseYamlFile(file, await readFile(path.join(rootDir, file), 'utf8'));
    const { value, diagnostics: problems } = validateYaml(yaml, validatePolicyFile);
    diagnostics.push(...problems);
    if (!value) continue;
    if (value.schema) {
      const here = { name: value.schema.toUpperCase(), location: yaml.locate(['schema']) };
      if (schema && schema.name !== here.name) {
        diagnostics.push(error('policy.invalid', `policies are in schema ${schema.name} (${schema.location.file}:${schema.location.line}), not ${here.name}`, {
          location: here.location, hint: 'every policies file must name the same schema, or leave it out',
        }));
      }
      schema ??= here;
    }
    for (const kind of POLICY_KINDS) {
      for (const [written, definition] of Object.entries(value[kind] ?? {})) {
        const name = written.toUpperCase();
        const location = yaml.locate([kind], written);
        const earlier = maps[kind].get(name);
        if (earlier) {
          diagnostics.push(error('policy.invalid', `${KIND_NAME[kind]} \`${name}\` is already defined at ${earlier.location.file}:${earlier.location.line}`, {
            location, hint: 'a name is defined once in the project; rename one or remove it',
          }));
          continue;
        }
        maps[kind].set(name, { name, definition, location });
      }
    }
  }
  return {
    policies: {
      schema: schema?.name ?? DEFAULT_POLICY_SCHEMA,
      roles: maps.roles as Map<string, Defined<RoleDefinition>>,
      tags: maps.tags as Map<string, Defined<TagDefinition>>,
      maskingPolicies: maps.masking_policies as Map<string, Defined<MaskingPolicyDefinition>>,
      rowAccessPolicies: maps.row_access_policies as Map<string, Defined<RowAccessPolicyDefinition>>,
      projectionPolicies: maps.projection_policies as Map<string, Defined<ProjectionPolicyDefinition>>,
      networkPolicies: maps.network_policies as Map<string, Defined<NetworkPolicyDefinition>>,
      files,
    },
    diagnostics,
  };
}
