// What every step of a run works with, built once per session lease: the engine, the statement path, and the
// run's settings as data. Materializing, testing and measuring each read the part they need.
import type { Adapter } from '../adapters/adapter.js';
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
}

export interface RunContext extends RunSettings {
  readonly adapter: Adapter;
  readonly runner: StatementRunner;
  /** Creates a schema once per run, however many threads ask. */
  ensureSchema(relation: Relation): Promise<void>;
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
