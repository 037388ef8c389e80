// Validates parsed YAML against a JSON Schema and turns ajv's errors into located diagnostics.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { pointerToPath, type YamlFile } from './yaml-file.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true, discriminator: true });

/** Compiled on first use: compiling every schema at start-up costs a fast command a fifth of a second. */
export function compileSchema<T>(schema: object): ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined;
  const validate = ((data: unknown) => {
    compiled ??= ajv.compile<T>(schema);
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
