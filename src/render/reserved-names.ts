// Names charter keeps for its own relations: a model or seed named like one would be taken for charter's and lost.
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';

/**
 * Charter's own relations carry `__charter_` (`<model>__charter_staged`, `__charter_ephemeral__<model>`), in any case,
 * since Snowflake folds unquoted names to upper case.
 */
const RESERVED = /__charter_/i;

/** A located error when `name`, a model's or seed's name or alias, is one charter keeps for itself. */
export function reservedNameDiagnostic(kind: 'model' | 'seed', name: string, location: SourceLocation, via: 'name' | 'alias' = 'name'): Diagnostic | undefined {
  if (!RESERVED.test(name)) return undefined;
  return error('node.invalid', `the ${kind} ${via} \`${name}\` contains \`__charter_\`, which charter keeps for its own relations`, {
    location,
    hint: via === 'alias' ? 'choose another alias' : `rename the ${kind} file`,
  });
}
