// Converts an ODCS v3 data contract (Open Data Contract Standard, Bitol) into charter contracts, one per
// schema object. Pure: text in, YAML documents and notes on what had no charter equivalent out.
import { parse as parseYaml, stringify } from 'yaml';

export interface ImportedContract {
  /** Suggested file name, e.g. orders.yml. */
  readonly file: string;
  readonly yaml: string;
}

export interface OdcsImport {
  readonly contracts: ImportedContract[];
  /** Parts of the ODCS document charter has no place for, so a reviewer knows what was left behind. */
  readonly notes: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : undefined);

/** ODCS logical types to the Snowflake type charter declares when no physicalType is given. */
const LOGICAL_TYPES: Readonly<Record<string, string>> = {
  string: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP_NTZ',
  time: 'TIME',
  number: 'NUMBER(38,6)',
  integer: 'NUMBER(38,0)',
  boolean: 'BOOLEAN',
  object: 'OBJECT',
  array: 'ARRAY',
};

/** ODCS classification is free text; charter's column classification is a closed set. */
function classification(value: unknown): string | undefined {
  const v = str(value)?.toLowerCase();
  if (!v) return undefined;
  if (['public', 'internal', 'confidential', 'pii', 'phi'].includes(v)) return v;
  if (v === 'restricted' || v === 'sensitive' || v === 'secret') return 'confidential';
  return undefined;
}

const UNITS: Readonly<Record<string, string>> = { d: 'd', day: 'd', days: 'd', h: 'h', hr: 'h', hour: 'h', hours: 'h', m: 'm', min: 'm', minute: 'm', minutes: 'm', y: 'y', year: 'y', years: 'y' };

export function importOdcs(text: string, source = 'contract.odcs.yaml'): OdcsImport {
  const doc: unknown = parseYaml(text);
  if (!isObj(doc) || doc['kind'] !== 'DataContract' || !String(doc['apiVersion'] ?? '').startsWith('v3')) {
    throw new OdcsImportError(`${source} is not an ODCS v3 data contract (expected kind: DataContract, apiVersion: v3.x)`);
  }
  const notes: string[] = [];
  const baseName = (str(doc['name']) ?? str(doc['id']) ?? 'contract').toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  const owners = [
    ...list((doc['team'] as Obj | undefined)?.['members']).map((m) => str(m['username'])),
    ...list(doc['support']).map((s) => str(s['url']) ?? str(s['channel'])),
  ].filter((o): o is string => !!o);
  const slas = list(doc['slaProperties']);
  const retention = slas.find((s) => str(s['property'])?.toLowerCase() === 'retention');
  for (const key of ['servers', 'price', 'roles', 'authoritativeDefinitions', 'customProperties']) {
    if (doc[key] !== undefined) notes.push(`${key}: no charter equivalent, not imported`);
  }
  const schemas = list(doc['schema']);
  if (!schemas.length) notes.push('schema: the contract describes no table, so no charter contract was written');
  const contracts = schemas.map((schema) => {
    const table = str(schema['physicalName']) ?? str(schema['name']) ?? 'unnamed';
    const model = table.split('.').pop() as string;
    const columns = list(schema['properties']).map((p) => importProperty(p, model, notes));
    const tests = list(schema['quality']).flatMap((q) => importSchemaRule(q, model, notes));
    const freshness = slas.find((s) => ['latency', 'freshness'].includes(str(s['property'])?.toLowerCase() ?? '') && belongsTo(s, model));
    const contract: Obj = {
      name: schemas.length > 1 ? `${baseName}_${model.toLowerCase()}` : baseName,
      version: str(doc['version']) ?? '1.0.0',
      ...(str(doc['status']) ? { status: String(doc['status']).toLowerCase() } : {}),
      model,
      ...(str(schema['description']) ?? descriptionOf(doc) ? { description: str(schema['description']) ?? descriptionOf(doc) } : {}),
      ...(str(doc['domain']) ? { domain: str(doc['domain']) } : {}),
      ...(owners.length ? { owners } : {}),
      ...(retention ? retentionPolicy(retention, notes) : {}),
      columns,
      ...(tests.length ? { tests } : {}),
      ...(freshness ? { quality_slo: freshnessSlo(freshness, notes) } : {}),
    };
    const header = `# Imported from ODCS ${String(doc['apiVersion'])} contract ${str(doc['id']) ?? baseName} (${source}) by charter.\n`;
    return { file: `${String(contract['name'])}.yml`, yaml: header + stringify(contract, { lineWidth: 0 }) };
  });
  return { contracts, notes };
}

export class OdcsImportError extends Error {}

function descriptionOf(doc: Obj): string | undefined {
  const d = doc['description'];
  return isObj(d) ? (str(d['purpose']) ?? str(d['usage'])) : str(d);
}

function belongsTo(sla: Obj, model: string): boolean {
  const element = str(sla['element']);
  return !element || element.split(',').some((e) => e.trim().split('.')[0]?.toLowerCase() === model.toLowerCase());
}

function importProperty(p: Obj, model: string, notes: string[]): Obj {
  const name = str(p['physicalName']) ?? str(p['name']) ?? 'unnamed';
  const constraints: Obj = {};
  if (p['required'] === true) constraints['not_null'] = true;
  if (p['unique'] === true) constraints['unique'] = true;
  if (p['primaryKey'] === true) constraints['primary_key'] = true;
  const tests = list(p['quality']).flatMap((q) => importPropertyRule(q, model, name, notes));
  const logical = str(p['logicalType'])?.toLowerCase();
  const cls = classification(p['classification']);
  if (p['classification'] !== undefined && !cls) notes.push(`${model}.${name}: classification "${String(p['classification'])}" has no charter equivalent, left out`);
  return {
    name,
    ...(str(p['physicalType']) ?? (logical && LOGICAL_TYPES[logical]) ? { data_type: str(p['physicalType']) ?? LOGICAL_TYPES[logical as string] } : {}),
    ...(str(p['description']) ? { description: str(p['description']) } : {}),
    ...(cls ? { classification: cls } : {}),
    ...(Object.keys(constraints).length ? { constraints } : {}),
    ...(tests.length ? { tests } : {}),
  };
}

/** A library rule's single operator as a failing-row threshold, for metrics that count bad rows. */
function allowsNone(rule: Obj): boolean {
  return rule['mustBe'] === 0 || rule['mustBeLessOrEqualTo'] === 0 || rule['mustBeLessThan'] === 1;
}

function importPropertyRule(rule: Obj, model: string, column: string, notes: string[]): Obj[] {
  const metric = str(rule['metric']);
  const severity = str(rule['severity'])?.toLowerCase() === 'warning' ? { severity: 'warn' } : {};
  if (metric === 'nullValues' && allowsNone(rule)) return [{ not_null: { ...severity } }];
  if (metric === 'duplicateValues' && allowsNone(rule)) return [{ unique: { ...severity } }];
  if (metric === 'invalidValues' && allowsNone(rule) && Array.isArray((rule['arguments'] as Obj | undefined)?.['validValues'] ?? rule['validValues'])) {
    const values = ((rule['arguments'] as Obj | undefined)?.['validValues'] ?? rule['validValues']) as unknown[];
    return [{ accepted_values: { values, ...severity } }];
  }
  notes.push(`${model}.${column}: quality rule ${str(rule['name']) ?? metric ?? str(rule['type']) ?? '(unnamed)'} has no charter equivalent, not imported`);
  return [];
}

function importSchemaRule(rule: Obj, model: string, notes: string[]): Obj[] {
  const metric = str(rule['metric']);
  if (metric === 'rowCount') {
    const between = rule['mustBeBetween'];
    if (Array.isArray(between) && between.length === 2) return [{ row_count: { min: Number(between[0]), max: Number(between[1]) } }];
    if (typeof rule['mustBeGreaterThan'] === 'number') return [{ row_count: { min: (rule['mustBeGreaterThan'] as number) + 1 } }];
    if (typeof rule['mustBeGreaterOrEqualTo'] === 'number') return [{ row_count: { min: rule['mustBeGreaterOrEqualTo'] } }];
  }
  if (metric === 'duplicateValues' && allowsNone(rule) && Array.isArray((rule['arguments'] as Obj | undefined)?.['properties'] ?? rule['properties'])) {
    return [{ unique_combination: { columns: (rule['arguments'] as Obj | undefined)?.['properties'] ?? rule['properties'] } }];
  }
  notes.push(`${model}: quality rule ${str(rule['name']) ?? metric ?? str(rule['type']) ?? '(unnamed)'} has no charter equivalent, not imported`);
  return [];
}

function duration(sla: Obj, notes: string[]): string | undefined {
  const value = Number(sla['value']);
  const unit = UNITS[str(sla['unit'])?.toLowerCase() ?? 'd'];
  if (!Number.isFinite(value) || !unit) {
    notes.push(`slaProperties ${String(sla['property'])}: value ${String(sla['value'])} ${String(sla['unit'] ?? '')} is not a duration charter reads`);
    return undefined;
  }
  return `${value}${unit}`;
}

function retentionPolicy(sla: Obj, notes: string[]): Obj {
  const d = duration(sla, notes);
  return d ? { retention_policy: { platinum: d } } : {};
}

function freshnessSlo(sla: Obj, notes: string[]): Obj {
  const column = str(sla['element'])?.split('.').pop();
  const d = duration(sla, notes);
  if (!column || !d) {
    notes.push('latency/freshness SLA without a table.column element: not imported');
    return {};
  }
  return { freshness: { column, max_age: d } };
}
