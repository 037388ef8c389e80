// Writes schemas/*.schema.json from the schemas in src (the source of truth), for editors and other tools.
// Run after `npm run build:ts`; tests/contracts/contract-schema.test.ts fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { contractSchema } from '../dist/src/load/contract-schema.js';

writeFileSync(new URL('../schemas/contract.schema.json', import.meta.url), `${JSON.stringify(contractSchema, null, 2)}\n`);
console.log('wrote schemas/contract.schema.json');
