// How a pipeline call tells its caller what happens while it runs. The CLI prints it; a library caller may ignore it.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { NodeResult } from '../execute/node-result.js';
import type { RunEvent } from '../execute/run-graph.js';
import type { TestResult } from '../execute/run-data-test.js';
import type { SloResult } from '../execute/measure-slos.js';

export interface Reporter {
  event(event: RunEvent): void;
  info(message: string, fields?: Record<string, unknown>): void;
  diagnostics(ds: readonly Diagnostic[], readSource?: (file: string) => string | undefined): void;
  summary(results: readonly NodeResult[], seconds: number, tests?: readonly TestResult[], slos?: readonly SloResult[]): void;
}

export const silentReporter: Reporter = { event: () => undefined, info: () => undefined, diagnostics: () => undefined, summary: () => undefined };
