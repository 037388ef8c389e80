// Cross-reference checks of loaded contracts against the compiled project: unknown models, duplicates, dangling relationships.
import { error, type Diagnostic, type DiagnosticCode, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { GovernedModel, LoadedContract, YamlPath } from '../load/load-contracts.js';
import type { CompiledProject, ModelNode } from '../project/nodes.js';
import { nodeIndex, type NodeIndex } from '../project/lookup.js';
import { renderColumnMismatches, type ColumnMismatch } from './compare-columns.js';
import { checkRetention } from './check-retention.js';
import { locate } from '../load/load-contracts.js';

export { canonicalType, compareColumns, renderColumnMismatches, typesMatch } from './compare-columns.js';
export type { ActualColumn, ColumnMismatch, DeclaredColumn } from './compare-columns.js';

/** Codes this module reports. */
export const CONTRACT_CHECK_CODES = {
  modelUnknown: 'contract.model_unknown',
  relationshipUnknown: 'contract.relationship_unknown',
  duplicate: 'contract.duplicate',
  columnUnknown: 'contract.column_unknown',
  sloNotRunnable: 'contract.slo_not_runnable',
  columnsMismatch: 'contract.columns_mismatch',
  unbound: 'contract.unbound',
  deprecated: 'contract.deprecated',
} as const satisfies Record<string, DiagnosticCode>;

/** The model a governed entry names: by model name, or (interfaces.tables) by the table its relation is. */
export function governedNode(index: NodeIndex, governed: GovernedModel): ModelNode | undefined {
  return governed.byRelation ? index.modelByTableName(governed.name) : index.model(governed.name);
}

/** Every cross-reference problem of every contract, in contract order. Pure. */
export function checkContracts(
  contracts: readonly LoadedContract[],
  project: CompiledProject,
  /** Today as YYYY-MM-DD, for deprecation sunsets; the caller owns the clock. */
  today?: string,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const index = nodeIndex(project);
  const governedBy = new Map<string, { contract: LoadedContract; model: GovernedModel }>();

  for (const contract of contracts) {
    const sunset = contract.contract.deprecation?.sunset;
    if (today && sunset && sunset < today) {
      const replacement = contract.contract.deprecation?.replaced_by;
      // A warning on every compile: whether it fails a pull request is the CI gate's decision.
      diagnostics.push(warning(CONTRACT_CHECK_CODES.deprecated, `contract \`${contract.contract.name}\` passed its sunset date ${sunset}`, {
        location: locate(contract, ['deprecation', 'sunset']),
        hint: replacement ? `its consumers should move to ${replacement}` : 'retire it, or move the sunset date with a new contract version',
      }));
    }
    if (contract.models.length === 0) {
      diagnostics.push(error(CONTRACT_CHECK_CODES.unbound, `contract \`${contract.contract.name}\` governs no model, so none of its checks would run`, {
        location: locate(contract, []),
        hint: 'add `model: <model name>`, `models:` for a data product, or interfaces.tables naming the model\'s table',
      }));
    }
    for (const governed of contract.models) {
      const key = (governedNode(index, governed)?.name ?? governed.name).toLowerCase();
      const where = locate(contract, governed.namePath);
      if (governed.byRelation && !governedNode(index, governed)) {
        const parts = governed.name.split('.');
        diagnostics.push(error(CONTRACT_CHECK_CODES.unbound, `contract \`${contract.contract.name}\` names table ${governed.name}, which is no model's relation`, {
          location: where,
          detail: `looked for a model whose relation is ${parts.length > 1 ? `schema ${parts.at(-2)}, ` : ''}table ${parts.at(-1)} (case-insensitive)`,
          hint: didYouMean(parts.at(-1) ?? governed.name, index.names('model')) ?? 'name the table a model builds, or use `model: <model name>`',
        }));
      } else if (!governed.byRelation && !index.model(governed.name)) {
        const other = index.any(governed.name);
        const what = contract.fromProperties ? `property file ${contract.file} describes` : `contract \`${contract.contract.name}\` governs`;
        diagnostics.push(error(CONTRACT_CHECK_CODES.modelUnknown, `${what} unknown model \`${governed.name}\``, {
          location: where,
          hint: other ? `\`${other.name}\` is a ${other.kind}; contracts govern models` : didYouMean(governed.name, index.names('model')),
        }));
      }
      const first = governedBy.get(key);
      // A dbt property file beside a charter contract adds its tests to the contract's: a merge, not a second contract.
      const merges = first !== undefined && Boolean(first.contract.fromProperties) !== Boolean(contract.fromProperties);
      if (first && first.contract !== contract && !merges) {
        diagnostics.push(error(CONTRACT_CHECK_CODES.duplicate, `model \`${governed.name}\` has two contracts: \`${first.contract.contract.name}\` and \`${contract.contract.name}\``, {
          location: where,
          detail: `first contract: ${formatLocation(locate(first.contract, first.model.namePath))}`,
          hint: 'keep one contract per model; a data product lists its models under one `models:`',
        }));
      } else if (!first || (first.contract.fromProperties && !contract.fromProperties)) governedBy.set(key, { contract, model: governed });
    }
  }

  for (const contract of contracts) {
    for (const governed of contract.models) {
      diagnostics.push(...checkRelationships(contract, governed, index, governedBy));
      diagnostics.push(...checkNamedColumns(contract, governed));
      diagnostics.push(...checkRunnableSlos(contract, governed));
    }
    diagnostics.push(...checkRetention(contract, (governed) => governedNode(index, governed)));
    if (contract.unassignedSlos.length && contract.models.length) {
      diagnostics.push(warning(CONTRACT_CHECK_CODES.sloNotRunnable, 'product-level quality_slo has no model to measure', {
        location: locate(contract, ['quality_slo']),
      }));
    }
  }
  return diagnostics;
}

/** A build-time diagnostic for the columns of a built relation that disagree with its contract; undefined when none do. */
export function columnMismatchDiagnostic(
  contract: LoadedContract,
  governed: GovernedModel,
  mismatches: readonly ColumnMismatch[],
): Diagnostic | undefined {
  if (mismatches.length === 0) return undefined;
  const firstDeclared = mismatches.find((m) => m.kind !== 'extra');
  const index = firstDeclared ? governed.columns.findIndex((c) => c.name.toLowerCase() === firstDeclared.column.toLowerCase()) : -1;
  const location = index >= 0 ? locate(contract, [...governed.base, 'columns', index]) : locate(contract, governed.namePath);
  const count = mismatches.length === 1 ? '1 column differs' : `${mismatches.length} columns differ`;
  return error(CONTRACT_CHECK_CODES.columnsMismatch, `model \`${governed.name}\` does not match its contract \`${contract.contract.name}\`: ${count}`, {
    location,
    detail: renderColumnMismatches(mismatches),
    hint: 'change the model, or the contract (with a new version) if the change is intended',
  });
}

function checkRelationships(
  contract: LoadedContract,
  governed: GovernedModel,
  index: NodeIndex,
  governedBy: ReadonlyMap<string, { contract: LoadedContract; model: GovernedModel }>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  governed.columns.forEach((col, i) => {
    const at = [...governed.base, 'columns', i];
    const relationships: Array<{ to: string; field: string; path: YamlPath }> = [];
    if (col.constraints?.relationships) relationships.push({ ...col.constraints.relationships, path: [...at, 'constraints', 'relationships'] });
    (col.tests ?? []).forEach((t, j) => {
      if (t.relationships) relationships.push({ ...t.relationships, path: [...at, 'tests', j, 'relationships'] });
    });
    for (const rel of relationships) {
      const target = index.ref(rel.to);
      if (!target) {
        out.push(error(CONTRACT_CHECK_CODES.relationshipUnknown, `column \`${col.name}\` refers to unknown model \`${rel.to}\``, {
          location: locate(contract, [...rel.path, 'to']),
          hint: didYouMean(rel.to, index.names('model', 'seed')),
        }));
        continue;
      }
      // The field can be checked only when the other model's contract declares its columns.
      const other = governedBy.get(rel.to.toLowerCase())?.model;
      const names = other?.columns.map((c) => c.name) ?? [];
      if (names.length && !names.some((n) => n.toLowerCase() === rel.field.toLowerCase())) {
        out.push(warning(CONTRACT_CHECK_CODES.columnUnknown, `\`${rel.to}\` declares no column \`${rel.field}\` in its contract`, {
          location: locate(contract, [...rel.path, 'field']),
          hint: didYouMean(rel.field, names) ?? `its columns: ${names.join(', ')}`,
        }));
      }
    }
  });
  return out;
}

/** Columns named by SLOs and model tests should be declared, when the contract declares columns at all. */
function checkNamedColumns(contract: LoadedContract, governed: GovernedModel): Diagnostic[] {
  const names = governed.columns.map((c) => c.name);
  if (names.length === 0) return [];
  const known = new Set(names.map((n) => n.toLowerCase()));
  const out: Diagnostic[] = [];
  const check = (column: string, path: YamlPath, report: typeof error): void => {
    if (known.has(column.toLowerCase())) return;
    out.push(report(CONTRACT_CHECK_CODES.columnUnknown, `column \`${column}\` is not declared in this contract's columns`, {
      location: locate(contract, path),
      hint: didYouMean(column, names) ?? `declared: ${names.join(', ')}`,
    }));
  };
  // An SLO on an undeclared column could only fail at run time: it is an error now.
  for (const { slo, path } of governed.slos) {
    if ((slo.kind === 'freshness' && slo.column) || slo.kind === 'completeness' || slo.kind === 'drift') check(slo.column ?? '', path, error);
  }
  governed.tests.forEach((t, i) => {
    t.unique_combination?.columns.forEach((c, j) => check(c, [...governed.base, 'tests', i, 'unique_combination', 'columns', j], warning));
  });
  return out;
}

function checkRunnableSlos(contract: LoadedContract, governed: GovernedModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { slo, path } of governed.slos) {
    if (slo.kind !== 'freshness') continue;
    if (slo.percentile !== undefined) {
      out.push(warning(CONTRACT_CHECK_CODES.sloNotRunnable, `freshness_p${slo.percentile} is recorded but not measured: charter checks the age of the latest value`, {
        location: locate(contract, path),
        hint: slo.column ? `use \`freshness: "<=${slo.maxAge.text} for ${slo.column}"\`` : 'use `freshness: {column: <timestamp column>, max_age: ...}`',
      }));
    } else if (!slo.column) {
      out.push(warning(CONTRACT_CHECK_CODES.sloNotRunnable, 'freshness names no column, so it cannot be measured', {
        location: locate(contract, path),
        hint: `write \`"<=${slo.maxAge.text} for <timestamp column>"\``,
      }));
    }
  }
  return out;
}


function warning(code: DiagnosticCode, message: string, extra: { location?: SourceLocation; hint?: string; detail?: string } = {}): Diagnostic {
  return { ...error(code, message, extra), severity: 'warning' };
}

function formatLocation(l: SourceLocation): string {
  return `${l.file}:${l.line}:${l.column}`;
}
