// Writes schemas/*.schema.json from the schemas in src (the source of truth), for editors and other tools.
// Run after `npm run build:ts`; tests/contracts/contract-schema.test.ts fails when a file is stale.
import { writeFileSync } from 'node:fs';
import { contractSchema } from '../dist/src/load/contract-schema.js';
import { policyFileSchema } from '../dist/src/load/policy-schema.js';
import { semanticViewSchema } from '../dist/src/load/semantic-view-schema.js';

for (const [name, schema] of [['contract', contractSchema], ['policies', policyFileSchema], ['semantic-view', semanticViewSchema]]) {
  writeFileSync(new URL(`../schemas/${name}.schema.json`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schemas/${name}.schema.json`);
}
