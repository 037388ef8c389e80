// What every step of a run works with, built once per session lease: the engine, the statement path, and the
// run's settings as data. Materializing, testing and measuring each read the part they need.
import type { Adapter } from '../adapters/adapter.js';
import type { GovernedKind, PreviousGovernance } from '../adapters/governance.js';
import type { ProjectPolicies } from '../load/load-policies.js';
import type { RelationGovernance } from '../project/governance.js';
import type { Relation } from '../project/relation.js';
import { parseNodeId } from '../project/node-id.js';
import type { BoundContract } from '../render/bind-contracts.js';
import type { DataTest } from '../render/render-contract-tests.js';
import type { StatementRunner } from './statement-runner.js';

/** The schema charter keeps its own tables in (drift baselines, stored test failures): OPS of the target. */
export interface OpsSchema {
  readonly database: string;
  readonly schema: string;
}

export interface RunSettings {
  readonly fullRefresh: boolean;
  /** Keep each failing test's rows in OPS.failures__<model>__<test>. */
  readonly storeFailures: boolean;
  /** Store pii and phi values in those tables as they are (otherwise they are redacted). */
  readonly unredactedFailures: boolean;
  readonly ops: OpsSchema;
  /** `charter baseline`: record drift baselines afresh instead of comparing with them. */
  readonly resetBaselines: boolean;
  /** Model id to the contract a staged build must match before it replaces anything. */
  readonly contracts: ReadonlyMap<string, BoundContract>;
  /** Where the engine enforces governance with its own statements (Snowflake): what to send, as data. */
  readonly governance?: RunGovernance;
  /**
   * Where it has none (DuckDB): the models whose governance charter enforces itself. Each is built under a private
   * name and its public name is a view that masks and filters for the role in session.
   */
  readonly localProtection?: LocalProtection;
}

export interface LocalProtection {
  readonly policies: ProjectPolicies;
  /** By model id: only models with a masked column or a row access policy. */
  readonly relations: ReadonlyMap<string, RelationGovernance>;
}

/** A project's governance as statements of the target's engine. */
export interface RunGovernance {
  /** The policies' schema, roles, tags and policies: run once per run, before the first governed model is built. */
  readonly setup: readonly string[];
  /** What attaches model `node`'s governance to `relation`, a relation of it just built; empty for an ungoverned model. */
  attach(node: string, relation: Relation, kind: GovernedKind): readonly string[];
  /** What brings model `node`'s live relation, governed as `previous` says, to its governance now (a deploy's re-apply). */
  reattach(node: string, relation: Relation, kind: GovernedKind, previous: PreviousGovernance): readonly string[];
}

export interface RunContext extends RunSettings {
  readonly adapter: Adapter;
  readonly runner: StatementRunner;
  /** Creates a schema once per run, however many threads ask. */
  ensureSchema(relation: Relation): Promise<void>;
  /** Runs the governance setup once per run, however many threads ask (absent: nothing to set up). */
  ensureGovernance?(): Promise<void>;
  now(): Date;
}

export const defaultSettings = (ops: OpsSchema): RunSettings => ({
  fullRefresh: false,
  storeFailures: false,
  unredactedFailures: false,
  ops,
  resetBaselines: false,
  contracts: new Map(),
});

/** Where drift baselines and the volume SLO's last row counts live. */
export const baselineRelation = (ops: OpsSchema): Relation => ({ ...ops, identifier: 'charter_baselines' });

/** Where --store-failures keeps a test's failing rows. */
export const auditRelation = (ops: OpsSchema, test: DataTest): Relation => ({
  ...ops,
  identifier: `failures__${parseNodeId(test.id).parts.join('__').replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 200),
});

const done = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * Runs `make` once per adapter (a run's adapter is its own) and key, however many sessions ask at once: two sessions
 * creating the same bookkeeping table concurrently is a catalog write-write conflict on DuckDB. A failure is not
 * kept, so a later caller tries again.
 */
export function oncePerRun(adapter: object, key: string, make: () => Promise<void>): Promise<void> {
  const made = done.get(adapter) ?? done.set(adapter, new Map()).get(adapter)!;
  let pending = made.get(key);
  if (!pending) {
    pending = make();
    made.set(key, pending);
    pending.catch(() => made.delete(key));
  }
  return pending;
}
