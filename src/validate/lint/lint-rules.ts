// Every lint rule, in the order findings are listed. A new rule is a module of its own, added here.
import { hardcodedTable } from './hardcoded-table.js';
import { layerSkip } from './layer-skip.js';
import type { LintRule } from './lint-rule.js';
import { platinumContract } from './platinum-contract.js';
import { selectStar } from './select-star.js';
import { sqlParse } from './sql-parse.js';
import { unusedMacro } from './unused-macro.js';
import { unusedSource } from './unused-source.js';

export const LINT_RULES: readonly LintRule[] = [sqlParse, hardcodedTable, selectStar, platinumContract, layerSkip, unusedMacro, unusedSource];
