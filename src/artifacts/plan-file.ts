// plan.json: a deploy plan as `charter plan --out` saves it for review and `charter apply <file>` runs it. The file
// carries a digest of its content, so what is applied is what was reviewed: an edited or damaged plan is refused.
import { readFileSync } from 'node:fs';
import { error, UserError } from '../diagnostics/diagnostic.js';
import type { DeployPlan } from '../execute/deploy-steps.js';
import { errorAt, writeFileAtomic } from '../load/atomic-file.js';
import { sha256, stableStringify } from '../project/hash.js';

const digestOf = (plan: DeployPlan): string => sha256(stableStringify(plan));

export function writePlanFile(file: string, plan: DeployPlan): void {
  writeFileAtomic(file, `${JSON.stringify({ ...plan, digest: digestOf(plan) }, null, 2)}\n`);
}

export function readPlanFile(file: string): DeployPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw errorAt(e, file);
  }
  const invalid = (why: string, hint = 'make a plan with `charter plan --out <file>` and apply that file'): UserError =>
    new UserError([error('deploy.plan_invalid', `${file} is not a plan charter can apply: ${why}`, { hint })]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw invalid(`it is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!parsed || typeof parsed !== 'object' || (parsed as { format?: unknown }).format !== 'charter-plan') throw invalid('it has no "format": "charter-plan"');
  const { digest, ...plan } = parsed as DeployPlan & { digest?: unknown };
  if (plan.version !== 1) throw invalid(`it is plan format version ${String(plan.version)}; this charter reads version 1`, 'make the plan again with this charter version');
  if (digest !== digestOf(plan)) throw invalid('its content does not match its digest: it was edited or damaged after `charter plan` wrote it');
  // Plans written before policy replacements were planned replace none.
  return { ...plan, policies: plan.policies ?? [] };
}
