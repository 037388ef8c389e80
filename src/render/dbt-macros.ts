// The `dbt` and `dbt_utils` macros dbt projects call most, shipped with charter so such models compile unchanged.
//
// Each renders the SQL family dbt renders on Snowflake (charter's models are Snowflake SQL on every target: the DuckDB
// target translates them). They are plain functions, not templates: what they print is fixed text around their
// arguments. Nothing here queries a warehouse: star() and union_relations() know columns from contracts (and dbt
// property files), and get_column_values() answers only with its `default`, so compile stays offline.
import type { LoadedContract } from '../load/load-contracts.js';
import { keywordArguments } from './jinja-compat.js';
import { isDict } from './python-methods.js';

/** A model's columns as its contract declares them. */
export interface KnownColumn {
  readonly name: string;
  readonly dataType?: string;
}

export interface DbtMacroInputs {
  readonly vars: Readonly<Record<string, unknown>>;
  /** The columns the contract of the model a ref() names declares, if it has one. */
  readonly columnsOf: (model: string) => readonly KnownColumn[] | undefined;
  /** How the engine stores an unquoted name (upper-case on Snowflake): star() quotes names as stored. */
  readonly normalizeIdentifier: (name: string) => string;
}

/** Per model, the columns a contract declares: a charter contract's over a dbt property file's. */
export function contractColumns(contracts: readonly LoadedContract[]): Map<string, KnownColumn[]> {
  const out = new Map<string, KnownColumn[]>();
  const ordered = [...contracts].sort((a, b) => Number(a.fromProperties ?? false) - Number(b.fromProperties ?? false));
  for (const contract of ordered) {
    for (const model of contract.models) {
      if (out.has(model.name) || !model.columns.length) continue;
      out.set(model.name, model.columns.map((c) => ({ name: c.name, ...(c.data_type ? { dataType: c.data_type } : {}) })));
    }
  }
  return out;
}

/** Snowflake's name for dbt's `type_string()` (api.Column.translate_type('string')). */
const STRING_TYPE = 'TEXT';
const NULL_PLACEHOLDER = '_dbt_utils_surrogate_key_null_';
/** What ref() and source() render to until relations are known (template-environment.ts). */
const RELATION_PLACEHOLDER = /^\u0001(ref|source):([^\u0002]*)\u0002$/;

type Args = Record<string, unknown>;

/** Python-style arguments: positional ones by `names`, then nunjucks' keyword-argument object. */
function pyArgs(macro: string, args: readonly unknown[], names: readonly string[], defaults: Args = {}): Args {
  const last = args[args.length - 1];
  const keywords = isDict(last) && Object.hasOwn(last, '__keywords') ? keywordArguments(last) : undefined;
  const positional = keywords ? args.slice(0, -1) : args;
  if (positional.length > names.length) throw new Error(`${macro}() takes at most ${names.length} arguments (${names.join(', ')})`);
  const out: Args = { ...defaults };
  positional.forEach((value, i) => (out[names[i] as string] = value));
  for (const [key, value] of Object.entries(keywords ?? {})) {
    if (!names.includes(key)) throw new Error(`${macro}() has no argument \`${key}\` (it takes ${names.join(', ')})`);
    out[key] = value;
  }
  for (const name of names) if (out[name] === undefined) throw new Error(`${macro}() needs \`${name}\``);
  return out;
}

const text = (value: unknown): string => String(value ?? '');
const list = (macro: string, name: string, value: unknown): unknown[] => {
  if (!Array.isArray(value)) throw new Error(`${macro}(): \`${name}\` must be a list`);
  return value;
};
const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
const literal = (value: unknown): string => `'${text(value).replace(/'/g, "''")}'`;

/** The model a ref() result names, or an error naming what the macro needs. */
function refModel(macro: string, relation: unknown): string {
  const match = RELATION_PLACEHOLDER.exec(text(relation));
  if (match?.[1] === 'ref') return match[2] as string;
  if (match?.[1] === 'source') {
    throw new Error(`${macro}() cannot know the columns of source('${(match[2] as string).replace('.', "', '")}'): charter compiles offline; list the columns`);
  }
  throw new Error(`${macro}() needs a ref('model'), not ${JSON.stringify(text(relation))}`);
}

function knownColumns(macro: string, model: string, inputs: DbtMacroInputs): readonly KnownColumn[] {
  const columns = inputs.columnsOf(model);
  if (!columns?.length) {
    throw new Error(
      `${macro}() needs the columns of \`${model}\`, and no contract declares them: charter compiles offline and does not ask the warehouse; ` +
        `declare them in a contract (contracts/) or a dbt property file (models/*.yml), or list them`,
    );
  }
  return columns;
}

/** dbt's cross-database macros, as `dbt.<name>` (dbt >= 1.2) and, for older projects, `dbt_utils.<name>`. */
function crossDatabase(): Record<string, (...args: unknown[]) => string> {
  return {
    type_string: () => STRING_TYPE,
    date_trunc: (...args) => {
      const a = pyArgs('date_trunc', args, ['datepart', 'date']);
      return `date_trunc(${text(a['datepart'])}, ${text(a['date'])})`;
    },
    dateadd: (...args) => {
      const a = pyArgs('dateadd', args, ['datepart', 'interval', 'from_date_or_timestamp']);
      return `dateadd(${text(a['datepart'])}, ${text(a['interval'])}, ${text(a['from_date_or_timestamp'])})`;
    },
    datediff: (...args) => {
      const a = pyArgs('datediff', args, ['first_date', 'second_date', 'datepart']);
      return `datediff(${text(a['datepart'])}, ${text(a['first_date'])}, ${text(a['second_date'])})`;
    },
    safe_cast: (...args) => {
      // dbt-snowflake: TRY_CAST takes text only, so a number becomes a string literal; VARIANT cannot be TRY_CAST.
      const a = pyArgs('safe_cast', args, ['field', 'type']);
      const type = text(a['type']);
      const field = typeof a['field'] === 'number' ? `'${a['field']}'` : text(a['field']);
      switch (type.toUpperCase()) {
        case 'GEOMETRY':
          return `try_to_geometry(${text(a['field'])})`;
        case 'GEOGRAPHY':
          return `try_to_geography(${text(a['field'])})`;
        case 'VARIANT':
          return `cast(${text(a['field'])} as ${type})`;
        default:
          return `try_cast(${field} as ${type})`;
      }
    },
    concat: (...args) => list('concat', 'fields', pyArgs('concat', args, ['fields'])['fields']).map(text).join(' || '),
    hash: (...args) => `md5(cast(${text(pyArgs('hash', args, ['field'])['field'])} as ${STRING_TYPE}))`,
    // Doubled quotes rather than dbt-snowflake's backslash: the same string on Snowflake, and portable to DuckDB.
    escape_single_quotes: (...args) => text(pyArgs('escape_single_quotes', args, ['expression'])['expression']).replace(/'/g, "''"),
    string_literal: (...args) => literal(pyArgs('string_literal', args, ['value'])['value']),
  };
}

function generateSurrogateKey(inputs: DbtMacroInputs, args: unknown[]): string {
  const fields = list('generate_surrogate_key', 'field_list', pyArgs('generate_surrogate_key', args, ['field_list'])['field_list']);
  const empty = inputs.vars['surrogate_key_treat_nulls_as_empty_strings'] === true;
  const nullValue = empty ? '' : NULL_PLACEHOLDER;
  const parts = fields.flatMap((field, i) => [
    ...(i ? ["'-'"] : []),
    `coalesce(cast(${text(field)} as ${STRING_TYPE}), '${nullValue}')`,
  ]);
  return `md5(cast(${parts.join(' || ')} as ${STRING_TYPE}))`;
}

function star(inputs: DbtMacroInputs, args: unknown[]): string {
  const a = pyArgs('star', args, ['from', 'except', 'relation_alias', 'prefix', 'suffix', 'quote_identifiers'], {
    except: [],
    relation_alias: false,
    prefix: '',
    suffix: '',
    quote_identifiers: true,
  });
  const model = refModel('star', a['from']);
  const excluded = new Set(list('star', 'except', a['except']).map((c) => text(c).toLowerCase()));
  const columns = knownColumns('star', model, inputs).filter((c) => !excluded.has(c.name.toLowerCase()));
  if (!columns.length) throw new Error(`star(ref('${model}')) leaves no column after except`);
  const name = (n: string): string => (a['quote_identifiers'] ? quote(inputs.normalizeIdentifier(n)) : n);
  const alias = a['relation_alias'] ? `${text(a['relation_alias'])}.` : '';
  const renamed = text(a['prefix']) !== '' || text(a['suffix']) !== '';
  return columns.map((c) => `${alias}${name(c.name)}${renamed ? ` as ${name(`${text(a['prefix'])}${c.name}${text(a['suffix'])}`)}` : ''}`).join(',\n  ');
}

function unionRelations(inputs: DbtMacroInputs, args: unknown[]): string {
  const a = pyArgs('union_relations', args, ['relations', 'column_override', 'include', 'exclude', 'source_column_name', 'where'], {
    column_override: null,
    include: [],
    exclude: [],
    source_column_name: '_dbt_source_relation',
    where: null,
  });
  const relations = list('union_relations', 'relations', a['relations']);
  const include = list('union_relations', 'include', a['include']).map((c) => text(c).toLowerCase());
  const exclude = new Set(list('union_relations', 'exclude', a['exclude']).map((c) => text(c).toLowerCase()));
  if (include.length && exclude.size) throw new Error('union_relations(): give include or exclude, not both');
  const override = isDict(a['column_override']) ? keywordArguments(a['column_override']) : {};
  const perRelation = relations.map((r) => ({ relation: text(r), columns: knownColumns('union_relations', refModel('union_relations', r), inputs) }));
  // Every column of any relation, in order of first appearance, typed by the first relation that types it.
  const all = new Map<string, KnownColumn>();
  for (const { columns } of perRelation) {
    for (const c of columns) {
      const key = c.name.toLowerCase();
      if ((include.length && !include.includes(key)) || exclude.has(key)) continue;
      const known = all.get(key);
      if (!known || (!known.dataType && c.dataType)) all.set(key, { name: known?.name ?? c.name, dataType: known?.dataType ?? c.dataType });
    }
  }
  const typeOf = (c: KnownColumn): string | undefined => {
    const own = Object.entries(override).find(([k]) => k.toLowerCase() === c.name.toLowerCase());
    return own ? text(own[1]) : c.dataType;
  };
  const sourceColumn = text(a['source_column_name']);
  const where = a['where'] === null || a['where'] === undefined ? '' : `\n    where ${text(a['where'])}`;
  return perRelation
    .map(({ relation, columns }) => {
      const has = new Set(columns.map((c) => c.name.toLowerCase()));
      const select = [...all.values()].map((c) => {
        const name = quote(inputs.normalizeIdentifier(c.name));
        const value = has.has(c.name.toLowerCase()) ? name : 'null';
        const type = typeOf(c);
        return `        ${type ? `cast(${value} as ${type})` : value} as ${name}`;
      });
      return ['(', '    select', `        cast(${literal(relation)} as ${STRING_TYPE}) as ${sourceColumn},`, select.join(',\n'), `    from ${relation}${where}`, ')'].join('\n');
    })
    .join('\n\nunion all\n\n');
}

function pivot(args: unknown[]): string {
  const a = pyArgs('pivot', args, ['column', 'values', 'alias', 'agg', 'cmp', 'prefix', 'suffix', 'then_value', 'else_value', 'quote_identifiers', 'distinct'], {
    alias: true,
    agg: 'sum',
    cmp: '=',
    prefix: '',
    suffix: '',
    then_value: 1,
    else_value: 0,
    quote_identifiers: true,
    distinct: false,
  });
  const values = list('pivot', 'values', a['values']);
  return values
    .map((value) => {
      const name = `${text(a['prefix'])}${text(value)}${text(a['suffix'])}`;
      const alias = !a['alias'] ? '' : ` as ${a['quote_identifiers'] ? quote(name) : slugify(name)}`;
      const when = `case when ${text(a['column'])} ${text(a['cmp'])} ${literal(value)} then ${text(a['then_value'])} else ${text(a['else_value'])} end`;
      return `${text(a['agg'])}(${a['distinct'] ? 'distinct ' : ''}${when})${alias}`;
    })
    .join(',\n  ');
}

/** dbt_utils.slugify: lower-case, non-word runs to `_`, a leading digit prefixed with `_`. */
function slugify(name: string): string {
  const slug = name.toLowerCase().replace(/[ -]+/g, '_').replace(/[^a-z0-9_]+/g, '');
  return /^[0-9]/.test(slug) ? `_${slug}` : slug;
}

function getColumnValues(args: unknown[]): unknown {
  const a = pyArgs('get_column_values', args, ['table', 'column', 'order_by', 'max_records', 'default', 'where'], {
    order_by: 'count(*) desc',
    max_records: null,
    default: null,
    where: null,
  });
  if (a['default'] !== null) return a['default'];
  throw new Error(
    `dbt_utils.get_column_values(..., '${text(a['column'])}') would query the warehouse while compiling; charter compiles offline ` +
      'and keeps no column values from the last build: pass default=[...] with the values, or write them in the model',
  );
}

/** The `dbt` and `dbt_utils` globals: frozen objects of plain functions. */
export function dbtMacroGlobals(inputs: DbtMacroInputs): { dbt: object; dbt_utils: object } {
  const cross = crossDatabase();
  return {
    dbt: Object.freeze({ ...cross }),
    dbt_utils: Object.freeze({
      ...cross,
      generate_surrogate_key: (...args: unknown[]) => generateSurrogateKey(inputs, args),
      star: (...args: unknown[]) => star(inputs, args),
      union_relations: (...args: unknown[]) => unionRelations(inputs, args),
      pivot: (...args: unknown[]) => pivot(args),
      get_column_values: (...args: unknown[]) => getColumnValues(args),
      slugify: (...args: unknown[]) => slugify(text(pyArgs('slugify', args, ['string'])['string'])),
    }),
  };
}
