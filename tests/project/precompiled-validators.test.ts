// The validators `npm run build:ts` generates (dist/src/load/validators) are those of the current schemas, and say
// exactly what a compile of the schema says, errors included: a charter process uses them instead of compiling.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { contractSchema } from '../../src/load/contract-schema.js';
import { AJV_OPTIONS, schemaHash } from '../../src/load/json-schema.js';
import { policyFileSchema } from '../../src/load/policy-schema.js';
import { projectSchema } from '../../src/load/project-schema.js';
import { propertiesSchema } from '../../src/load/properties-schema.js';
import { seedConfigSchema } from '../../src/load/seed-schema.js';
import { semanticViewSchema } from '../../src/load/semantic-view-schema.js';
import { unitTestFileSchema } from '../../src/load/unit-test-schema.js';
import { repoRoot } from '../helpers/project.js';

const require = createRequire(import.meta.url);
const generated = (name: string): ValidateFunction & { schemaHash?: string } =>
  require(path.join(repoRoot, 'dist', 'src', 'load', 'validators', `${name}.cjs`)) as ValidateFunction & { schemaHash?: string };

const CASES: ReadonlyArray<readonly [string, object, unknown[]]> = [
  ['contract', contractSchema, [{ name: 'c', model: { name: 'm', columns: [{ name: 'a', data_tyype: 'NUMBER' }] } }, { nam: 1 }, { name: 'ok' }]],
  ['policies', policyFileSchema, [{ masking_policies: { M: { signature: 'x', body: 1 } } }, { roles: { A: { inherits: 'B' } } }]],
  ['project', projectSchema, [{ name: 'p', version: 1, targets: { dev: { engine: 'duckdb', pathh: 'x' } } }, { name: 'p' }]],
  ['properties', propertiesSchema, [{ version: 2, models: [{ name: 'm', columns: 'a' }] }]],
  ['seed-config', seedConfigSchema, [{ column_types: 'x' }, { delimiter: 1 }]],
  ['semantic-view', semanticViewSchema, [{ name: 'v', tables: [{ name: 't', model: 'm', metrics: [{ name: 'x' }] }] }, { name: 'v', tables: [], grants: [{ roles: 'R' }] }]],
  ['unit-tests', unitTestFileSchema, [{ unit_tests: [{ name: 'u' }] }, { unit_tests: 'x' }]],
];

describe('precompiled schema validators', () => {
  for (const [name, schema, documents] of CASES) {
    it(`${name}: generated from the current schema, and as strict as ajv's own compile`, () => {
      const fromBuild = generated(name);
      expect(fromBuild.schemaHash, 'run npm run build:ts').toBe(schemaHash(schema));
      const compiled = new Ajv2020(AJV_OPTIONS).compile(schema);
      for (const document of documents) {
        expect(fromBuild(document)).toBe(compiled(document));
        const strip = (errors: typeof compiled.errors) => (errors ?? []).map(({ instancePath, keyword, params, message, parentSchema }) => ({ instancePath, keyword, params, message, parentSchema }));
        expect(strip(fromBuild.errors)).toEqual(strip(compiled.errors));
      }
      expect(documents.some((d) => !compiled(d))).toBe(true);
    });
  }
});
