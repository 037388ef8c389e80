// An Open Semantic Interchange (OSI) v0.1.1 document back into charter semantic view definitions, one per semantic
// model: the reverse of render/semantic-osi.ts. The document is checked against the OSI schema first and every problem
// points into it; charter's custom extension, when present, restores what OSI has no slot for, and anything else
// charter cannot hold is listed in `notes`. Pure: text in, YAML out.
import path from 'node:path';
import { stringify } from 'yaml';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { compileSchema, validateYaml } from './json-schema.js';
import {
  OSI_EXTENSION_KEY, OSI_VERSION, osiSchema,
  type OsiAiContext, type OsiDocument, type OsiExpression, type OsiExtension, type OsiField, type OsiMetric, type OsiSemanticModel,
} from './osi-schema.js';
import { semanticViewSchema, type SemanticMetric, type SemanticTable, type SemanticViewDefinition } from './semantic-view-schema.js';
import { parseYamlFile, type YamlFile } from './yaml-file.js';

export interface ImportedSemanticView {
  /** Suggested file name under semantic_views/, e.g. financial.yml. */
  readonly file: string;
  readonly yaml: string;
  readonly definition: SemanticViewDefinition;
}

export interface OsiImport {
  readonly views: readonly ImportedSemanticView[];
  /** What the document says that charter has no place for, so a reviewer knows what was left behind. */
  readonly notes: readonly string[];
  /** Problems that stop the import, each located in the OSI file. */
  readonly diagnostics: readonly Diagnostic[];
}

type Path = Array<string | number>;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const validateOsi = compileSchema<OsiDocument>('osi', osiSchema);
const validateView = compileSchema<SemanticViewDefinition>('semantic-view', semanticViewSchema);

const NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const AGGREGATE = /\b(SUM|COUNT|COUNT_IF|AVG|MIN|MAX|MEDIAN|ANY_VALUE|STDDEV|VARIANCE|APPROX_COUNT_DISTINCT)\s*\(/i;
/** Where a metric's or field's SQL is read from, in this order of preference. */
const SQL_DIALECTS = ['SNOWFLAKE', 'ANSI_SQL', 'DATABRICKS'] as const;
const GRAINS = new Set(['day', 'week', 'month', 'quarter', 'year']);

export function importOsi(file: string, text: string): OsiImport {
  const yaml = parseYamlFile(file, text);
  const { value, diagnostics } = validateYaml(yaml, validateOsi);
  if (!value) return { views: [], notes: [], diagnostics: diagnostics.map(withVersionHint) };
  const notes: string[] = [];
  const problems: Diagnostic[] = [];
  const views = value.semantic_model.flatMap((model, i) => {
    const reader = new ModelReader(yaml, model, ['semantic_model', i], notes, problems);
    const definition = reader.definition();
    return definition ? [{ file: `${definition.name.toLowerCase()}.yml`, yaml: viewYaml(definition, file), definition }] : [];
  });
  if (!value.semantic_model.length) notes.push('the document holds no semantic model: nothing to import');
  return { views: problems.length ? [] : views, notes, diagnostics: problems };
}

/** A document of another OSI version fails on its `version` const; say which one charter reads. */
function withVersionHint(d: Diagnostic): Diagnostic {
  return /^\/version: must be equal to constant/.test(d.message) ? { ...d, hint: `charter reads OSI ${OSI_VERSION} documents` } : d;
}

function viewYaml(definition: SemanticViewDefinition, source: string): string {
  return `# Imported from the Open Semantic Interchange (OSI) v${OSI_VERSION} document ${path.basename(source)} by charter semantic import.\n${stringify(definition, { lineWidth: 0 })}`;
}

/** One OSI semantic model read into one charter view, reporting into the shared notes and problems. */
class ModelReader {
  private readonly datasets: Map<string, string>;

  constructor(
    private readonly yaml: YamlFile,
    private readonly model: OsiSemanticModel,
    private readonly at: Path,
    private readonly notes: string[],
    private readonly problems: Diagnostic[],
  ) {
    this.datasets = new Map(model.datasets.map((d) => [d.name.toLowerCase(), d.name]));
  }

  private fail(message: string, at: Path, hint?: string): void {
    this.problems.push(error('semantic.osi_invalid', `semantic model \`${this.model.name}\`: ${message}`, { location: this.yaml.locate(at), ...(hint ? { hint } : {}) }));
  }

  private note(message: string): void {
    this.notes.push(`${this.model.name}: ${message}`);
  }

  private name(name: string, what: string, at: Path): string {
    if (!NAME.test(name)) this.fail(`${what} name \`${name}\` is not a SQL name charter accepts`, [...at, 'name'], 'use letters, digits, _ and $, starting with a letter or _');
    return name;
  }

  /** charter's own extension data on an object; any other vendor's extension is noted and left behind. */
  private extension(extensions: readonly OsiExtension[] | undefined, at: Path, where: string): Obj {
    const ours: Obj = {};
    (extensions ?? []).forEach((ext, i) => {
      let data: unknown;
      try {
        data = JSON.parse(ext.data);
      } catch {
        if (ext.vendor_name.toUpperCase() === 'CHARTER') this.fail(`${of(where)}charter's custom extension is not JSON`, [...at, 'custom_extensions', i, 'data']);
        else this.note(`${of(where)}${ext.vendor_name} custom extension (not JSON) not imported`);
        return;
      }
      // Ours is the `charter` key of COMMON's (or any vendor's) data, or all of a CHARTER extension's.
      const direct = ext.vendor_name.toUpperCase() === 'CHARTER' && isObj(data) && !isObj(data[OSI_EXTENSION_KEY]);
      const charter = direct ? data : isObj(data) ? data[OSI_EXTENSION_KEY] : undefined;
      if (isObj(charter)) Object.assign(ours, charter);
      else this.note(`${of(where)}${ext.vendor_name} custom extension not imported`);
      const other = isObj(data) && !direct ? Object.keys(data).filter((k) => k !== OSI_EXTENSION_KEY) : [];
      if (isObj(charter) && other.length) this.note(`${of(where)}${ext.vendor_name} custom extension keys ${other.join(', ')} not imported`);
    });
    return ours;
  }

  private sql(expression: OsiExpression, at: Path, where: string): string | undefined {
    for (const dialect of SQL_DIALECTS) {
      const found = expression.dialects.find((d) => d.dialect === dialect);
      if (!found) continue;
      if (dialect === 'DATABRICKS') this.note(`${where}: only a DATABRICKS expression; imported as Snowflake SQL, check it`);
      if (!found.expression.trim()) break;
      return found.expression.trim();
    }
    this.fail(`${where} has no SQL expression (SNOWFLAKE, ANSI_SQL or DATABRICKS)`, [...at, 'expression'], `found ${expression.dialects.map((d) => d.dialect).join(', ')}`);
    return undefined;
  }

  /** Synonyms from an ai_context; anything else it says is noted. */
  private synonyms(context: OsiAiContext | undefined, where: string): string[] | undefined {
    if (context === undefined) return undefined;
    if (typeof context === 'string') {
      this.note(`${where}: ai_context text not imported (charter keeps synonyms only here)`);
      return undefined;
    }
    const other = Object.keys(context).filter((k) => k !== 'synonyms');
    if (other.length) this.note(`${where}: ai_context ${other.join(', ')} not imported`);
    return context.synonyms?.length ? [...context.synonyms] : undefined;
  }

  definition(): SemanticViewDefinition | undefined {
    const before = this.problems.length;
    const { model, at } = this;
    const name = this.name(model.name, 'semantic model', at);
    const ext = this.extension(model.custom_extensions, at, '');
    const { schema, grants, verified_queries, ...unknown } = ext;
    if (Object.keys(unknown).length) this.note(`charter extension keys ${Object.keys(unknown).join(', ')} not understood, not imported`);
    const tables = model.datasets.map((d, i) => this.table(d, [...at, 'datasets', i]));
    this.checkUniqueMembers();
    const metrics = (model.metrics ?? []).map((m, i) => this.metric(m, [...at, 'metrics', i]));
    for (const { metric, table } of metrics) {
      if (!metric) continue;
      const owner = table && tables.find((t) => t.name.toLowerCase() === table.toLowerCase());
      if (owner) owner.metrics = [...(owner.metrics ?? []), metric];
    }
    const derived = metrics.filter((m) => m.metric && !m.table).map((m) => m.metric as SemanticMetric);
    const definition = compact({
      name,
      description: model.description,
      schema,
      tables: tables.map((t) => compact(t)),
      relationships: model.relationships?.map((r, i) => this.relationship(r, [...at, 'relationships', i])),
      metrics: derived,
      grants,
      ai_sql_generation: this.instructions(Array.isArray(verified_queries) ? verified_queries : undefined),
      verified_queries,
    }) as SemanticViewDefinition;
    if (this.problems.length > before) return undefined;
    // The extension's values are charter's own; they must still make a valid charter view.
    if (!validateView(definition)) {
      for (const e of validateView.errors ?? []) this.fail(`the charter view it gives is invalid at ${e.instancePath || '/'}: ${e.message ?? 'invalid'}`, at);
      return undefined;
    }
    return definition;
  }

  /** The model's ai_context: its instructions are Cortex Analyst's; its examples are the verified questions. */
  private instructions(verified: readonly unknown[] | undefined): string | undefined {
    const context = this.model.ai_context;
    if (context === undefined) return undefined;
    if (typeof context === 'string') return context;
    const questions = new Set((verified ?? []).map((q) => (isObj(q) ? q['question'] : undefined)));
    const unverified = (context.examples ?? []).filter((q) => !questions.has(q));
    if (unverified.length) this.note(`${unverified.length} example question(s) without SQL not imported as verified queries: ${unverified.join(' | ')}`);
    const other = Object.keys(context).filter((k) => !['instructions', 'examples'].includes(k));
    if (other.length) this.note(`ai_context ${other.join(', ')} not imported`);
    return context.instructions;
  }

  private table(dataset: OsiSemanticModel['datasets'][number], at: Path): Writable<SemanticTable> {
    const where = `dataset ${dataset.name}`;
    this.name(dataset.name, 'dataset', at);
    const { model, ...unknown } = this.extension(dataset.custom_extensions, at, where);
    if (Object.keys(unknown).length) this.note(`${where}: charter extension keys ${Object.keys(unknown).join(', ')} not understood, not imported`);
    const table: Writable<SemanticTable> = {
      name: dataset.name,
      model: typeof model === 'string' ? model : this.modelOfSource(dataset.source, [...at, 'source']),
      description: dataset.description,
      synonyms: this.synonyms(dataset.ai_context, where),
      primary_key: dataset.primary_key?.length ? [...dataset.primary_key] : undefined,
      unique_keys: dataset.unique_keys?.filter((k) => k.length).map((k) => [...k]),
    };
    for (const [i, field] of (dataset.fields ?? []).entries()) this.field(table, field, [...at, 'fields', i], where);
    return table;
  }

  /** A charter table reads a model: the source's table name, as a model of that name would be built into. */
  private modelOfSource(source: string, at: Path): string {
    if (/^\s*(select|with)\b/i.test(source)) {
      this.fail(`dataset source is a query; a charter logical table reads a model`, at, 'make the query a model and name its relation as the source');
      return 'unknown';
    }
    const last = source.trim().split('.').pop() ?? '';
    const model = last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last.toLowerCase();
    if (!NAME.test(model)) this.fail(`dataset source \`${source}\` does not end in a model name`, at);
    return model;
  }

  private field(table: Writable<SemanticTable>, field: OsiField, at: Path, dataset: string): void {
    const where = `${dataset} field ${field.name}`;
    this.name(field.name, 'field', at);
    const expr = this.sql(field.expression, at, where) ?? '';
    const { data_type, sample_values, is_enum, private: hidden, grain, ...unknown } = this.extension(field.custom_extensions, at, where);
    if (Object.keys(unknown).length) this.note(`${where}: charter extension keys ${Object.keys(unknown).join(', ')} not understood, not imported`);
    if (field.label !== undefined) this.note(`${where}: label not imported`);
    const common = { name: field.name, expr, description: field.description, synonyms: this.synonyms(field.ai_context, where), data_type: data_type as string | undefined, sample_values: sample_values as string[] | undefined };
    if (!field.dimension) {
      table.facts = [...(table.facts ?? []), compact({ ...common, private: hidden as boolean | undefined })];
    } else if (field.dimension.is_time) {
      if (typeof grain !== 'string' || !GRAINS.has(grain)) this.note(`${where}: a time dimension without a grain (OSI has none); day assumed, set it in the YAML`);
      const timeGrain = (typeof grain === 'string' && GRAINS.has(grain) ? grain : 'day') as 'day';
      table.time_dimensions = [...(table.time_dimensions ?? []), compact({ ...common, grain: timeGrain })];
    } else {
      table.dimensions = [...(table.dimensions ?? []), compact({ ...common, is_enum: is_enum as boolean | undefined })];
    }
  }

  /** OSI names fields per dataset; charter names members once per view. */
  private checkUniqueMembers(): void {
    const seen = new Map<string, string>();
    this.model.datasets.forEach((dataset, d) => {
      (dataset.fields ?? []).forEach((field, f) => {
        const key = field.name.toLowerCase();
        const earlier = seen.get(key);
        if (earlier) {
          this.fail(`field \`${field.name}\` of dataset ${dataset.name} is also a field of ${earlier}; a charter view names each dimension and fact once`,
            [...this.at, 'datasets', d, 'fields', f, 'name'], `rename one, e.g. ${dataset.name}_${field.name}`);
        } else {
          seen.set(key, dataset.name);
        }
      });
    });
    (this.model.metrics ?? []).forEach((metric, i) => {
      const earlier = seen.get(metric.name.toLowerCase());
      if (earlier) this.fail(`metric \`${metric.name}\` has the name of a field of ${earlier}`, [...this.at, 'metrics', i, 'name'], 'a charter view names each member once');
      seen.set(metric.name.toLowerCase(), 'the metrics');
    });
  }

  private metric(metric: OsiMetric, at: Path): { metric?: SemanticMetric; table?: string } {
    const where = `metric ${metric.name}`;
    this.name(metric.name, 'metric', at);
    const expr = this.sql(metric.expression, at, where);
    const { table, derived, private: hidden, non_additive_by, ...unknown } = this.extension(metric.custom_extensions, at, where);
    if (Object.keys(unknown).length) this.note(`${where}: charter extension keys ${Object.keys(unknown).join(', ')} not understood, not imported`);
    if (expr === undefined) return {};
    const defined = compact({
      name: metric.name, expr, description: metric.description, synonyms: this.synonyms(metric.ai_context, where),
      private: hidden as boolean | undefined, non_additive_by: non_additive_by as string[] | undefined,
    }) as SemanticMetric;
    if (derived === true) return { metric: defined };
    if (typeof table === 'string') {
      if (this.datasets.has(table.toLowerCase())) return { metric: defined, table: this.datasets.get(table.toLowerCase()) };
      this.fail(`${where}: charter extension names table \`${table}\`, not a dataset of the model`, [...at, 'custom_extensions'], didYouMean(table, this.datasets.values()));
      return {};
    }
    return { metric: defined, table: this.tableOfMetric(expr, where) };
  }

  /**
   * OSI 0.1.1 keeps every metric at the model level. One that aggregates datasets' columns belongs to the table the
   * others are reached from (its many side); one that reads only metrics, without aggregating, is derived.
   */
  private tableOfMetric(expr: string, where: string): string | undefined {
    const code = expr.replace(/'(?:[^']|'')*'/g, "''");
    const references = [...code.matchAll(/\b([A-Za-z_][A-Za-z0-9_$]*)\s*\.\s*([A-Za-z_][A-Za-z0-9_$]*)/g)]
      .filter((m) => this.datasets.has(m[1]!.toLowerCase()));
    const metrics = new Set((this.model.metrics ?? []).map((m) => m.name.toLowerCase()));
    if (!AGGREGATE.test(code) && references.every((m) => metrics.has(m[2]!.toLowerCase()))) return undefined;
    const read = [...new Set(references.map((m) => this.datasets.get(m[1]!.toLowerCase())!))];
    if (read.length === 1) return read[0];
    if (read.length > 1) {
      const reach = this.reachable();
      const owner = read.find((d) => read.every((other) => other === d || reach(d).has(other.toLowerCase())));
      if (!owner) this.note(`${where}: reads ${read.join(', ')}, none of which reaches the others many-to-one; put on ${read[0]}, compile will check it`);
      return owner ?? read[0];
    }
    // Unqualified columns under an aggregate: only a model of one dataset says whose they are.
    if (this.model.datasets.length === 1) return this.model.datasets[0]!.name;
    this.note(`${where}: aggregates without naming a dataset; imported as a derived metric, compile will check it`);
    return undefined;
  }

  private reachable(): (dataset: string) => Set<string> {
    const edges = new Map<string, string[]>();
    for (const r of this.model.relationships ?? []) edges.set(r.from.toLowerCase(), [...(edges.get(r.from.toLowerCase()) ?? []), r.to.toLowerCase()]);
    return (dataset) => {
      const seen = new Set<string>();
      const stack = [dataset.toLowerCase()];
      while (stack.length) for (const next of edges.get(stack.pop()!) ?? []) if (!seen.has(next)) (seen.add(next), stack.push(next));
      return seen;
    };
  }

  private relationship(r: NonNullable<OsiSemanticModel['relationships']>[number], at: Path): NonNullable<SemanticViewDefinition['relationships']>[number] {
    const where = `relationship ${r.name}`;
    this.name(r.name, 'relationship', at);
    for (const end of ['from', 'to'] as const) {
      if (!this.datasets.has(r[end].toLowerCase())) {
        this.fail(`${where}: \`${end}: ${r[end]}\` is not a dataset of the model`, [...at, end], didYouMean(r[end], this.datasets.values()));
      }
    }
    if (r.from_columns.length !== r.to_columns.length) {
      this.fail(`${where}: ${r.from_columns.length} from_columns but ${r.to_columns.length} to_columns; they pair up by position`, [...at, 'to_columns']);
    }
    const { name_generated, to_columns_default, ...unknown } = this.extension(r.custom_extensions, at, where);
    if (Object.keys(unknown).length) this.note(`${where}: charter extension keys ${Object.keys(unknown).join(', ')} not understood, not imported`);
    if (r.ai_context !== undefined) this.note(`${where}: ai_context not imported`);
    return compact({
      name: name_generated === true ? undefined : r.name,
      from: r.from,
      columns: [...r.from_columns],
      to: r.to,
      to_columns: to_columns_default === true ? undefined : [...r.to_columns],
    });
  }
}

/** A note's or error's subject, when it is more than the model itself. */
const of = (where: string): string => (where ? `${where}: ` : '');

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Drops undefined and empty-list keys, so the YAML shows only what is said. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;
}
