// Terminal and JSON output of a run: one line (or JSON object) per node, then a summary.
import pc from 'picocolors';
import { formatDiagnostic, formatDiagnostics } from '../diagnostics/print.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { NodeResult } from '../execute/node-result.js';
import type { Reporter } from '../pipeline/reporter.js';

/** The reader of this stream went away (`charter build | head`): there is no one left to print for. */
export const outputClosed = (out: NodeJS.WritableStream): boolean => (out as { writable?: boolean }).writable === false;

export function createReporter(format: 'text' | 'json', quiet: boolean, out: NodeJS.WritableStream = process.stdout): Reporter {
  return format === 'json' ? jsonReporter(out) : textReporter(out, quiet);
}

function jsonReporter(out: NodeJS.WritableStream): Reporter {
  const emit = (obj: object): void => {
    if (!outputClosed(out)) out.write(`${JSON.stringify({ ts: new Date().toISOString(), ...obj })}\n`);
  };
  return {
    event: (e) =>
      emit(e.type === 'node_finished' ? { type: e.type, index: e.index, total: e.total, ...e.result } : e.type === 'node_started' ? e : { type: e.type, ...e.result }),
    info: (message, fields) => emit({ type: 'info', message, ...fields }),
    diagnostics: (ds) => ds.forEach((d) => emit({ type: 'diagnostic', ...d })),
    summary: (results, seconds, tests = [], slos = []) => emit({ type: 'run_finished', seconds, ...counts(results), tests: testCounts(tests), slos: testCounts(slos) }),
  };
}

function textReporter(out: NodeJS.WritableStream, quiet: boolean): Reporter {
  const color = Boolean((out as { isTTY?: boolean }).isTTY) && !process.env['NO_COLOR'];
  const c = pc.createColors(color);
  const write = (line: string): void => {
    if (!outputClosed(out)) out.write(`${line}\n`);
  };
  return {
    event(e) {
      if (quiet || e.type === 'node_started') return;
      if (e.type === 'test_finished') {
        const t = e.result;
        const label = { pass: c.green('PASS '), warn: c.yellow('WARN '), fail: c.red('FAIL '), error: c.red('ERROR'), skipped: c.yellow('SKIP ') }[t.status];
        const failures = t.failures === undefined ? '' : `${t.failures.toLocaleString('en-US')} failing`;
        write(`      ${label}  ${t.name.padEnd(60)} ${failures.padStart(16)} ${t.seconds.toFixed(2).padStart(7)}s`);
        return;
      }
      if (e.type === 'slo_finished') {
        const r = e.result;
        const label = { pass: c.green('SLO  '), warn: c.yellow('SLO! '), fail: c.red('SLO X'), error: c.red('SLO ?') }[r.status];
        const value = r.measured === null ? 'n/a' : `${r.measured} ${r.unit}`;
        write(`      ${label}  ${`${r.kind}${r.column ? ` ${r.column}` : ''}`.padEnd(32)} ${value.padStart(22)}  (${r.threshold})${r.status === 'pass' ? '' : ` ${r.status.toUpperCase()}`}${r.detail ? c.dim(`  ${r.detail}`) : ''}`);
        return;
      }
      const r = e.result;
      const status = r.status === 'success' ? c.green('OK     ') : r.status === 'error' ? c.red('ERROR  ') : c.yellow('SKIP   ');
      const width = String(e.total).length;
      const rows = r.rowsAffected === undefined ? '' : `${r.rowsAffected.toLocaleString('en-US')} rows`;
      const kind = r.mode === 'incremental' ? 'incremental+' : (r.materialized ?? r.kind);
      write(
        `${String(e.index).padStart(width)}/${e.total} ${status}${kind.padEnd(13)}${r.relation.padEnd(52)} ${rows.padStart(14)} ${r.seconds.toFixed(2).padStart(7)}s` +
          (r.status === 'skipped' ? c.dim(`  (upstream ${r.skippedBecause} failed)`) : '') +
          (r.note ? c.dim(`  (${r.note})`) : ''),
      );
    },
    info(message) {
      if (!quiet) write(message);
    },
    diagnostics(ds, readSource) {
      if (ds.length) write(`\n${ds.length === 1 ? formatDiagnostic(ds[0] as Diagnostic, { readSource, color }) : formatDiagnostics(ds, { readSource, color })}`);
    },
    summary(results, seconds, tests = [], slos = []) {
      const n = counts(results);
      const parts = [c.green(`${n.success} ok`), n.error ? c.red(`${n.error} error`) : '0 error', n.skipped ? c.yellow(`${n.skipped} skipped`) : '0 skipped'];
      // Every outcome that can fail the run is counted here, so the last line agrees with the exit code.
      const tally = (label: string, rs: ReadonlyArray<{ status: string }>): string => {
        const t = testCounts(rs);
        return `${label}: ${t.pass} pass, ${t.warn} warn, ${t.fail} fail, ${t.error} error${t.skipped ? `, ${t.skipped} skipped` : ''}`;
      };
      const checks = [...(tests.length ? [tally('tests', tests)] : []), ...(slos.length ? [tally('SLOs', slos)] : [])];
      // A run of no nodes (migrate, baseline) has nothing to count: no "0 ok, 0 error, 0 skipped".
      if (!results.length && !checks.length) write(`\nDone in ${seconds.toFixed(2)}s.`);
      else if (!results.length) write(`\nDone in ${seconds.toFixed(2)}s: ${checks.join('; ')}.`);
      else write(`\nDone in ${seconds.toFixed(2)}s: ${[parts.join(', '), ...checks].join('; ')}.`);
    },
  };
}

function testCounts(tests: ReadonlyArray<{ status: string }>): Record<'pass' | 'warn' | 'fail' | 'error' | 'skipped', number> {
  const n = (s: string): number => tests.filter((t) => t.status === s).length;
  return { pass: n('pass'), warn: n('warn'), fail: n('fail'), error: n('error'), skipped: n('skipped') };
}

function counts(results: readonly NodeResult[]): { success: number; error: number; skipped: number } {
  return {
    success: results.filter((r) => r.status === 'success').length,
    error: results.filter((r) => r.status === 'error').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
  };
}
