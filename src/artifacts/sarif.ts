// `charter ci --sarif`: the gate's findings as SARIF 2.1.0, for GitHub code scanning (and any SARIF viewer). One
// run; each diagnostic code is a rule; file paths are relative to the repository's root. Pure.
import { DIAGNOSTIC_CODES, type Diagnostic, type DiagnosticCode } from '../diagnostics/diagnostic.js';
import { breakingDiagnostic, ciFindings, PROJECT_FILE_LOCATION, type CiReport } from './ci-report.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type Level = 'error' | 'warning' | 'note';

interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: Level;
  readonly message: { readonly text: string };
  readonly locations: ReadonlyArray<{
    readonly physicalLocation: {
      readonly artifactLocation: { readonly uri: string; readonly uriBaseId: string };
      readonly region: { readonly startLine: number; readonly startColumn: number };
    };
  }>;
  readonly properties?: Readonly<Record<string, unknown>>;
}

const levelOf = (d: Diagnostic): Level => (d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'note');

/** A project-relative path as a URI reference from the repository's root (segments percent-encoded, slashes kept). */
export function repositoryUri(pathPrefix: string, file: string): string {
  return `${pathPrefix}${file}`.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** The SARIF log of a `charter ci` run, as an object ready for JSON.stringify. */
export function renderSarif(report: CiReport, toolVersion: string): object {
  const findings: Array<{ readonly diagnostic: Diagnostic; readonly step: string; readonly level?: Level }> = [
    ...ciFindings(report),
    // Approved breaking changes stay visible, as notes: the approval is part of the record, not a failure.
    ...report.cleared.map((c) => ({
      step: 'breaking',
      level: 'note' as const,
      diagnostic: {
        ...breakingDiagnostic(c),
        severity: 'warning' as const,
        message: `approved breaking change to ${c.model}: ${c.detail} (approved by ${c.approval.approver}, ticket ${c.approval.ticket}, ${c.approval.date})`,
      },
    })),
  ];
  const codes = [...new Set(findings.map((f) => f.diagnostic.code))].sort();
  const ruleIndex = new Map(codes.map((code, i) => [code, i]));
  const rules = codes.map((code) => ({
    id: code,
    name: code.replace(/[._](\w)/g, (_m, c: string) => c.toUpperCase()),
    shortDescription: { text: DIAGNOSTIC_CODES[code as DiagnosticCode] ?? code },
  }));
  const results: SarifResult[] = findings.map(({ diagnostic: d, step, level }) => {
    const at = d.location ?? PROJECT_FILE_LOCATION;
    const text = [d.message, d.hint ? `hint: ${d.hint}` : '', d.detail ?? ''].filter(Boolean).join('\n');
    return {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code)!,
      level: level ?? levelOf(d),
      message: { text },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: repositoryUri(report.pathPrefix, at.file), uriBaseId: '%SRCROOT%' },
            region: { startLine: Math.max(1, at.line), startColumn: Math.max(1, at.column) },
          },
        },
      ],
      properties: { step },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'charter', version: toolVersion, rules } },
        automationDetails: { id: `charter-ci/${report.project}/` },
        invocations: [{ executionSuccessful: true, exitCode: report.passed ? 0 : 1 }],
        results,
        columnKind: 'utf16CodeUnits',
        properties: { base: report.base, passed: report.passed },
      },
    ],
  };
}
