// GitHub Actions workflow commands (`::error file=...,line=...::message`) for the gate's findings: printed when
// GITHUB_ACTIONS=true, they land as annotations on the pull request's diff. Pure.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { ciFindings, type CiReport } from './ci-report.js';

/** A message: GitHub's runner unescapes %25, %0D and %0A; anything else is taken as written. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value (file, title): as a message, and `:` and `,` too, which would end it early. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

type Command = 'error' | 'warning' | 'notice';

/** One workflow command for one diagnostic, at its file, line and column (repository-relative) when it has them. */
export function annotation(d: Diagnostic, pathPrefix: string, command: Command = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice'): string {
  const properties = [
    ...(d.location ? [`file=${escapeProperty(`${pathPrefix}${d.location.file}`)}`, `line=${d.location.line}`, `col=${d.location.column}`] : []),
    `title=${escapeProperty(`charter ${d.code}`)}`,
  ];
  const text = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
  return `::${command} ${properties.join(',')}::${escapeData(text)}`;
}

/** Every finding of the gate as a workflow command, one per line, errors and warnings in step order. */
export function githubAnnotations(report: CiReport): string {
  const lines = ciFindings(report).map(({ diagnostic }) => annotation(diagnostic, report.pathPrefix));
  return lines.length ? `${lines.join('\n')}\n` : '';
}
