// The project's policies that the target has with another signature, found when a deploy is planned on a warehouse
// that keeps policies as objects (Snowflake), each with the statements that replace it without a window: made when
// the plan is, saved with it, and run by the apply in the project's governance setup, before its first change.
//
// A replacement is resumable. An apply stopped part way leaves the old policy with some attachments moved to its
// successor (<NAME>__CHARTER_NEXT): the next plan replaces it again, and FORCE finds the moved ones moved. Stopped
// between dropping the old policy and the rename, it leaves only the successor: the next plan finishes with the rename.
import { governanceDdlFor } from '../adapters/dialects.js';
import { canReadPolicies, successorOf, type PolicyAttachment, type PolicyLocation, type PolicyRef, type PolicyReplacement } from '../adapters/governance.js';
import { definedSignature, policyRefs } from '../adapters/policy-body.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DeployContext } from '../execute/deploy-state.js';
import { sameSignature, signatureText } from '../plan/policy-changes.js';
import type { CompiledSession } from './compile.js';
import { policyLocationOf } from './run-settings.js';

export interface PolicyPlan {
  readonly replacements: PolicyReplacement[];
  readonly problems: Diagnostic[];
}

/** Where the project's policies live on its target; undefined where the engine does not keep them (DuckDB). */
function policyLocation(session: CompiledSession): PolicyLocation | undefined {
  if (!governanceDdlFor(session.loaded.target.engine) || session.governance.relations.size === 0) return undefined;
  return policyLocationOf(session);
}

export async function planPolicyReplacements(session: CompiledSession, ctx: DeployContext): Promise<PolicyPlan> {
  const ddl = governanceDdlFor(session.loaded.target.engine);
  const at = policyLocation(session);
  const { adapter } = ctx;
  const replacements: PolicyReplacement[] = [];
  const problems: Diagnostic[] = [];
  if (!ddl || !at || !canReadPolicies(adapter)) return { replacements, problems };
  const { policies, relations } = session.governance;
  const run = ctx.runner.run;
  for (const policy of policyRefs(policies)) {
    const defined = definedSignature(policies, policy);
    if (!defined) continue;
    const deployed = await adapter.deployedPolicy(run, at, policy);
    if (deployed && sameSignature(defined, deployed)) continue;
    const successor = await adapter.deployedPolicy(run, at, { ...policy, name: successorOf(policy.name) });
    if (!deployed) {
      if (successor) replacements.push({ ...policy, from: successor, to: defined, attachments: [], finish: true, sql: ddl.finishReplacement(at, policy) });
      continue;
    }
    const name = `${at.database}.${at.schema}.${policy.name}`;
    if (successor && !sameSignature(defined, successor)) {
      problems.push(error('deploy.policy_unmovable', `${name} is to be replaced, and ${successorOf(policy.name)}, where its replacement is made, already exists with signature ${signatureText(successor)}, not ${signatureText(defined)}`, {
        hint: `a replacement of another definition was stopped part way: move what is attached to ${successorOf(policy.name)} back to ${policy.name} and drop it, then plan again`,
      }));
      continue;
    }
    const attachments = withProjectTags(await adapter.policyAttachments(run, at, policy), session, at, policy);
    const { statements, unmovable } = ddl.replacePolicy(policies, at, { ...policy, from: deployed }, attachments, relations.values());
    for (const why of unmovable) {
      problems.push(error('deploy.policy_unmovable', `${name} changes signature ${signatureText(deployed)} -> ${signatureText(defined)}, and cannot be moved without a window: ${why}`, {
        hint: 'name the columns in the contract (row_access_on), or detach the policy from that relation first',
      }));
    }
    replacements.push({ ...policy, from: deployed, to: defined, attachments, sql: statements });
  }
  return { replacements, problems };
}

/**
 * The warehouse's attachments, and the project's tags that name a masking policy: a tag no column carries may not be
 * listed by POLICY_REFERENCES (unverified), yet it would keep the old policy from being dropped.
 */
function withProjectTags(attachments: PolicyAttachment[], session: CompiledSession, at: PolicyLocation, policy: PolicyRef): PolicyAttachment[] {
  if (policy.kind !== 'masking') return attachments;
  const key = (r: { database: string; schema: string; identifier: string }): string => `${r.database}.${r.schema}.${r.identifier}`.toUpperCase();
  const listed = new Set(attachments.flatMap((a) => (a.on === 'tag' ? [key(a.tag)] : [])));
  const tags = [...session.governance.policies.tags.values()]
    .filter((tag) => (tag.definition.masking_policies ?? []).some((p) => p.split('.').at(-1)!.toUpperCase() === policy.name))
    .map((tag): PolicyAttachment => ({ on: 'tag', tag: { database: at.database, schema: at.schema, identifier: tag.name } }))
    .filter((a) => a.on === 'tag' && !listed.has(key(a.tag)));
  return [...attachments, ...tags];
}

/**
 * A saved plan's replacements against the warehouse now: each policy must still be deployed as it was when the plan
 * was made (or, for a rename left to finish, still missing), since its statements were made for that.
 */
export async function stalePolicyReplacements(session: CompiledSession, ctx: DeployContext, saved: readonly PolicyReplacement[]): Promise<string[]> {
  const at = policyLocation(session);
  const { adapter } = ctx;
  if (!at || !canReadPolicies(adapter)) return saved.map((r) => `${r.name}: the plan replaces it, and the target no longer keeps policies`);
  const stale: string[] = [];
  for (const replacement of saved) {
    const deployed = await adapter.deployedPolicy(ctx.runner.run, at, replacement);
    const now = deployed ? signatureText(deployed) : 'missing';
    const then = replacement.finish ? 'missing' : signatureText(replacement.from);
    if (now !== then || (deployed && !replacement.finish && deployed.returns !== replacement.from.returns)) stale.push(`${replacement.name} is ${now === 'missing' ? 'missing' : `deployed as ${now}`} now; the plan was made when it was ${then === 'missing' ? 'missing' : `deployed as ${then}`}`);
  }
  return stale;
}
