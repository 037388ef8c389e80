// dbt's context objects for templates: this, target, adapter, exceptions. Frozen, so no template changes what the
// next one sees; every part is a plain value or an arrow function, reached only through the guarded lookups.
import type { Engine, Relation } from '../project/relation.js';

export interface DbtContextInputs {
  readonly targetName: string;
  readonly engine: Engine;
  readonly database: string | undefined;
  /** What {{ this }} prints until relations are known. */
  readonly thisPlaceholder: string;
  /** The relation of the model rendering, with `config` (default: the config() it has called so far); throws outside a render. */
  readonly relation: (what: string, config?: Readonly<Record<string, unknown>>) => Relation;
  readonly dispatch: (name: string) => unknown;
  readonly log: (message: string) => string;
}

export function dbtContextObjects(inputs: DbtContextInputs): Record<string, unknown> {
  const { relation } = inputs;
  return {
    // {{ this }} stays a placeholder, resolved once every model's relation is known; its parts are known as soon as
    // the config() calls before them have run.
    this: Object.freeze({
      toString: () => inputs.thisPlaceholder,
      [Symbol.toPrimitive]: () => inputs.thisPlaceholder,
      get database() {
        return relation('this.database').database;
      },
      get schema() {
        return relation('this.schema').schema;
      },
      get identifier() {
        return relation('this.identifier').identifier;
      },
      get name() {
        return relation('this.name').identifier;
      },
    }),
    target: Object.freeze({
      name: inputs.targetName,
      engine: inputs.engine,
      type: inputs.engine,
      get database() {
        if (inputs.database === undefined) throw new Error('target.database is not known here');
        return inputs.database;
      },
      // charter has no one target schema: each folder (layer) has its own. This is where the model being rendered
      // lands unless its config() says otherwise, which is what dbt's target.schema means for a model.
      get schema() {
        return relation('target.schema', {}).schema;
      },
    }),
    adapter: Object.freeze({
      dispatch: (name: unknown) => inputs.dispatch(String(name)),
      quote: (identifier: unknown) => `"${String(identifier).replace(/"/g, '""')}"`,
    }),
    exceptions: Object.freeze({
      raise_compiler_error: (message: unknown) => {
        throw new Error(String(message));
      },
      warn: (message: unknown) => inputs.log(`warning: ${String(message)}`),
    }),
  };
}
