// Opening and closing an engine for a run: its set-up and its final statements go through the statement log too.
import type { Adapter } from '../adapters/adapter.js';
import { StatementLog, StatementRunner } from './statement-runner.js';

async function onOneSession(adapter: Adapter, log: StatementLog, work: (runner: StatementRunner) => Promise<void>): Promise<void> {
  const session = await adapter.openSession();
  try {
    await work(new StatementRunner(session, log));
  } finally {
    await session.close();
  }
}

/** Connects and installs what charter needs in the warehouse. */
export async function openEngine(adapter: Adapter, log: StatementLog = new StatementLog()): Promise<void> {
  await adapter.open();
  try {
    await onOneSession(adapter, log, (runner) => adapter.prepare(runner.run));
  } catch (e) {
    await adapter.close();
    throw e;
  }
}

/** Makes the run's writes durable (where the engine asks for it), staying connected: statements may follow. */
export async function finishEngine(adapter: Adapter, log: StatementLog = new StatementLog()): Promise<void> {
  await onOneSession(adapter, log, (runner) => adapter.finish(runner.run));
}

/** Makes the run's writes durable (where the engine asks for it) and disconnects. */
export async function closeEngine(adapter: Adapter, log: StatementLog = new StatementLog()): Promise<void> {
  try {
    await onOneSession(adapter, log, (runner) => adapter.finish(runner.run));
  } finally {
    await adapter.close();
  }
}
