// `charter lineage <model>[.<column>]`: per column, the upstream columns it is computed from and the seed and source
// columns at the root, and downstream the columns of other models computed from it, each with how (direct,
// expression, aggregate); as text, or one JSON object with --json.
import { Command } from 'commander';
// The lineage engine (WebAssembly) loads only when this command runs, not on every charter start.
import type { ColumnReport, LineageReport } from '../../pipeline/lineage.js';
import { parseNodeId } from '../../project/node-id.js';
import type { UpstreamColumn } from '../../graph/column-lineage.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { outputClosed } from '../reporter.js';

interface LineageCommandOptions extends GlobalOptions {
  readonly json: boolean;
}

export function lineageCommand(): Command {
  return withGlobalOptions(new Command('lineage'), { selection: false })
    .description("print a model's column lineage: each column's upstream columns, its seed and source root columns, and the columns computed from it downstream")
    .argument('<model[.column]>', 'a model, or one of its columns')
    .option('--json', 'one JSON object instead of text', false)
    .action(async (of: string, options: LineageCommandOptions) => {
      const { lineage } = await import('../../pipeline/lineage.js');
      const report = await lineage({ ...options, of });
      const text = options.json ? `${JSON.stringify(asJson(report))}\n` : asText(report);
      if (!outputClosed(process.stdout)) process.stdout.write(text);
    });
}

const label = (u: UpstreamColumn): string => `${parseNodeId(u.node).name}.${u.column}`;

function asText(report: LineageReport): string {
  const lines: string[] = [];
  if (report.shapeUnknown) lines.push(`${report.model.name}: not every column is known: ${report.shapeUnknown}`);
  for (const c of report.columns) lines.push(...columnText(report.model, c));
  lines.push(`(${report.columns.length} column${report.columns.length === 1 ? '' : 's'}, ${report.modelsTraced} model${report.modelsTraced === 1 ? '' : 's'} traced in ${report.seconds.toFixed(2)}s)`);
  return `${lines.join('\n')}\n`;
}

function columnText(model: LineageReport['model'], c: ColumnReport): string[] {
  const down = c.downstream;
  const further = down.all.filter((d) => !down.downstream.some((s) => s.node === d.node && s.column === d.column));
  const width = Math.max(30, ...[...c.lineage.upstream, ...c.roots.roots, ...down.all].map((u) => label(u).length + 2));
  const row = (heading: string, u: UpstreamColumn, suffix = ''): string => `  ${heading.padEnd(10)} ${label(u).padEnd(width)} ${u.how}${suffix}`;
  const lines = [`${model.name}.${c.column}${c.lineage.status === 'unknown' ? '  (incomplete)' : ''}`];
  if (!c.lineage.upstream.length && c.lineage.status === 'traced') lines.push(`  ${'upstream'.padEnd(10)} none (a constant, or COUNT(*))`);
  c.lineage.upstream.forEach((u, i) => lines.push(row(i === 0 ? 'upstream' : '', u)));
  if (c.lineage.status === 'unknown') for (const reason of c.lineage.reasons) lines.push(`  ${'unknown'.padEnd(10)} ${reason}`);
  c.roots.roots.forEach((u, i) => lines.push(row(i === 0 ? 'roots' : '', u, `  (${parseNodeId(u.node).kind})`)));
  // The column's own reasons are printed above; these are the ones met further up.
  for (const u of c.roots.unknown) if (u.node !== model.uniqueId) lines.push(`  ${'unknown'.padEnd(10)} at ${parseNodeId(u.node).name}.${u.column}: ${u.reason}`);
  if (!down.downstream.length && !down.unknown.length) lines.push(`  ${'downstream'.padEnd(10)} none`);
  down.downstream.forEach((u, i) => lines.push(row(i === 0 ? 'downstream' : '', u)));
  // Further down: what the columns above feed, how combined along the way.
  further.forEach((u, i) => lines.push(row(i === 0 ? 'further' : '', u)));
  for (const u of down.unknown) {
    lines.push(`  ${'unknown'.padEnd(10)} downstream at ${parseNodeId(u.node).name}${u.column ? `.${u.column}` : ''}: ${u.reason}`);
  }
  return lines;
}

function asJson(report: LineageReport): object {
  return {
    model: report.model.uniqueId,
    ...(report.shapeUnknown ? { shape_unknown: report.shapeUnknown } : {}),
    columns: report.columns.map((c) => ({
      column: c.column,
      status: c.lineage.status,
      upstream: c.lineage.upstream,
      ...(c.lineage.status === 'unknown' ? { reasons: c.lineage.reasons } : {}),
      roots: c.roots.roots,
      ...(c.roots.unknown.length ? { roots_unknown: c.roots.unknown } : {}),
      downstream: c.downstream.downstream,
      downstream_all: c.downstream.all,
      ...(c.downstream.unknown.length ? { downstream_unknown: c.downstream.unknown } : {}),
    })),
    models_traced: report.modelsTraced,
    seconds: report.seconds,
  };
}
