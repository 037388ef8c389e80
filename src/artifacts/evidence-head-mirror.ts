// The evidence chain head as the target's OPS.charter_evidence_head mirrors it, outside the evidence folder: a chain
// rewritten on disk (bundles and HEAD.json replaced together, which verify alone cannot tell) no longer matches the
// row the warehouse kept. Pure: the reading and writing are execute/evidence-head.ts's.
import type { MirroredHead } from '../execute/evidence-head.js';
import type { EvidenceHead } from './evidence-chain.js';

/** Why HEAD.json and the warehouse's newest row disagree; undefined when they agree. */
export function mirroredHeadProblem(head: EvidenceHead | undefined, mirrored: MirroredHead | undefined): string | undefined {
  if (!head && !mirrored) return undefined;
  if (!mirrored) return `HEAD.json names run ${head!.runId}, but the warehouse has no evidence head recorded`;
  if (!head) return `the warehouse records run ${mirrored.runId} (digest ${mirrored.digest}) as the evidence head, but there is no HEAD.json`;
  if (head.runId !== mirrored.runId) {
    const known = head.chain.includes(mirrored.runId) ? `an earlier run of the chain: a later run recorded none` : `a run HEAD.json's chain does not hold`;
    return `HEAD.json names run ${head.runId}, the warehouse's newest evidence head is run ${mirrored.runId} (recorded ${mirrored.recordedAt}), ${known}`;
  }
  if (head.digest !== mirrored.digest) return `run ${head.runId}: HEAD.json records digest ${head.digest}, the warehouse ${mirrored.digest}`;
  if (head.chain.length !== mirrored.chainLength) return `run ${head.runId}: HEAD.json's chain holds ${head.chain.length} runs, the warehouse recorded ${mirrored.chainLength}`;
  return undefined;
}
