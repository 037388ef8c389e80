// Validates a SARIF log against the SARIF 2.1.0 JSON Schema, vendored beside this file as sarif-2.1.0-rtm.5.json:
// the final (RTM 5) schema of SARIF 2.1.0 as SchemaStore publishes it, copied unchanged from the npm package
// @microsoft/jest-sarif 1.0.0-beta.0 (lib/schemas/sarif-2.1.0-rtm.5.json, MIT). It is written for JSON Schema
// draft-04 and uses no keyword whose meaning draft-07 changed, so Ajv's draft-07 validator reads it as is (without
// the u flag: one of its patterns, for a language tag, is not a valid Unicode-mode regular expression).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';

const schema = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
// The draft-04 meta-schema and id: Ajv 8 knows draft-07's, and the id is only the schema's own address.
const { $schema: _draft, id: _id, ...body } = schema;

const uriReference = (s: string): boolean => !/[\s\\]/.test(s) && URL.canParse(s, 'file:///repo/');
const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false })
  .addFormat('uri', (s: string) => !/\s/.test(s) && URL.canParse(s))
  .addFormat('uri-reference', uriReference)
  .addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s))
  .compile(body);

/** The problems of a SARIF log, as `path: message` lines; none when it is valid SARIF 2.1.0. */
export function validateSarif(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
