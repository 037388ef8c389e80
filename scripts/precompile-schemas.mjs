// Generates dist/src/load/validators/<name>.cjs: each schema's ajv validator as code, so a charter process loads it
// instead of compiling it (about 0.4 s of a cold command). Run by `npm run build:ts` after tsc. Each file records the
// hash of the schema it came from; src/load/json-schema.ts uses it only while that hash still matches.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { contractSchema } from '../dist/src/load/contract-schema.js';
import { AJV_OPTIONS, schemaHash } from '../dist/src/load/json-schema.js';
import { policyFileSchema } from '../dist/src/load/policy-schema.js';
import { projectSchema } from '../dist/src/load/project-schema.js';
import { propertiesSchema } from '../dist/src/load/properties-schema.js';
import { semanticViewSchema } from '../dist/src/load/semantic-view-schema.js';
import { seedConfigSchema } from '../dist/src/load/seed-schema.js';
import { unitTestFileSchema } from '../dist/src/load/unit-test-schema.js';

const SCHEMAS = {
  contract: contractSchema,
  policies: policyFileSchema,
  project: projectSchema,
  properties: propertiesSchema,
  'seed-config': seedConfigSchema,
  'semantic-view': semanticViewSchema,
  'unit-tests': unitTestFileSchema,
};

const out = new URL('../dist/src/load/validators/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const [name, schema] of Object.entries(SCHEMAS)) {
  // A fresh instance per schema: standalone code for one validator must not carry another's.
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true } });
  const code = standaloneCode(ajv, ajv.compile(schema));
  writeFileSync(new URL(`${name}.cjs`, out), `${code}\nmodule.exports.schemaHash = ${JSON.stringify(schemaHash(schema))};\n`);
}
