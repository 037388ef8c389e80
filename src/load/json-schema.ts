// Validates parsed YAML against a JSON Schema and turns ajv's errors into located diagnostics.
import { createRequire } from 'node:module';
import { Ajv2020, type ErrorObject, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { sha256 } from '../project/hash.js';
import { pointerToPath, type YamlFile } from './yaml-file.js';

/** Shared with scripts/precompile-schemas.mjs, which must compile with exactly these options. */
export const AJV_OPTIONS: Options = { allErrors: true, strict: true, verbose: true, allowUnionTypes: true, discriminator: true };

let ajv: Ajv2020 | undefined;

/** The hash a precompiled validator records of the schema it was generated from. */
export const schemaHash = (schema: object): string => sha256(JSON.stringify(schema));

/**
 * The validator `npm run build:ts` generated for this schema (dist/src/load/validators/<name>.cjs), when it was
 * generated from this very schema: compiling the contract schema alone costs a cold command almost half a second.
 * Anything else (run from source, a stale or missing file) compiles as before.
 */
function precompiled<T>(name: string, schema: object): ValidateFunction<T> | undefined {
  if (!import.meta.url.includes('/dist/')) return undefined;
  try {
    // ajv's standalone module is the validator itself, with the hash the generator added to it.
    const generated = createRequire(import.meta.url)(`./validators/${name}.cjs`) as ValidateFunction<T> & { schemaHash?: string };
    return generated.schemaHash === schemaHash(schema) ? generated : undefined;
  } catch {
    return undefined;
  }
}

/** Compiled (or its precompiled validator loaded) on first use: a fast command needs few of the schemas. */
export function compileSchema<T>(name: string, schema: object): ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined;
  const validate = ((data: unknown) => {
    compiled ??= precompiled<T>(name, schema) ?? (ajv ??= new Ajv2020(AJV_OPTIONS)).compile<T>(schema);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  }) as ValidateFunction<T>;
  return validate;
}

/** Checks a YAML file; returns its value typed when valid, and every error with its location. */
export function validateYaml<T>(yaml: YamlFile, validate: ValidateFunction<T>): { value?: T; diagnostics: Diagnostic[] } {
  if (yaml.diagnostics.length) return { diagnostics: [...yaml.diagnostics] };
  if (validate(yaml.value)) return { value: yaml.value, diagnostics: [] };
  return { diagnostics: dedupe(validate.errors ?? []).map((e) => toDiagnostic(yaml, e)) };
}

function toDiagnostic(yaml: YamlFile, e: ErrorObject): Diagnostic {
  const path = pointerToPath(e.instancePath);
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') {
    const key = String(e.params.additionalProperty);
    const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    // In a flow mapping, {data_type: NUMBER(18,2)} splits at the comma and leaves a key like `2)`.
    const splitType = /^\s*\d+\s*\)$/.test(key);
    return error('schema.invalid', `${where}: unknown key \`${key}\``, {
      location: yaml.locate(path, key),
      hint: splitType
        ? 'a comma inside {...} ends the value: quote a type with a comma, e.g. data_type: "NUMBER(18,2)"'
        : (didYouMean(key, known) ?? (known.length ? `expected one of: ${known.join(', ')}` : undefined)),
    });
  }
  if (e.keyword === 'required') {
    return error('schema.invalid', `${where}: missing required key \`${String(e.params.missingProperty)}\``, {
      location: yaml.locate(path),
    });
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params.allowedValues as unknown[]).map(String);
    return error('schema.invalid', `${where}: expected one of ${allowed.join(', ')}, found ${JSON.stringify(e.data)}`, {
      location: yaml.locate(path),
      hint: typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined,
    });
  }
  const found = e.data === undefined ? '' : `, found ${describe(e.data)}`;
  return error('schema.invalid', `${where}: ${e.message ?? 'is invalid'}${found}`, { location: yaml.locate(path) });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// A failed `anyOf`/`oneOf` repeats its branches' errors; keep one per place and keyword.
function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    // The discriminator's own error repeats the enum error on the tag property.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if' || e.keyword === 'discriminator') return false;
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
