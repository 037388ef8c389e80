// How `charter ask` should handle each question of the seed documents (tests/showcase/questions.ts lists them and
// computes their answers with plain SQL on the seed files): the figures of its answer to compare with that
// independent computation, or a decline. Each has a rewording of our own that must be handled the same way. Used by
// seed-questions-ask.test.ts, which also checks the semantic views' verified queries with the same comparisons.

/** A figure of the seed computation (column `seed`) and the answer's column holding it (a metric's name). */
interface Figure {
  readonly seed: string;
  readonly column: string;
  /** The answer's value times this is the seed's (a fraction against a percentage). */
  readonly scale?: number;
  /** Decimals both are rounded to: the seed computation's own rounding. */
  readonly digits: number;
}

export interface AnswerCheck {
  /** The seed computation's group column and the answer's dimension column, if the answer has groups. */
  readonly groups?: { readonly seed: string; readonly column: string };
  readonly figures: readonly Figure[];
  /** Groups must come in the seed computation's order (highest or lowest first). */
  readonly ordered?: boolean;
}

export interface SeedQuestionCase {
  readonly question: string;
  /** Our rewording: other words, other order, the same answer. */
  readonly variant: string;
  readonly check: AnswerCheck | { readonly decline: string };
}

const money = (seed: string, column: string): Figure => ({ seed, column, digits: 2 });

export const SEED_QUESTION_CASES: readonly SeedQuestionCase[] = [
  {
    question: 'What was our ARR growth by customer segment in Q4 2024?',
    variant: 'Show ARR growth per segment for 2024 Q4',
    check: { groups: { seed: 'segment', column: 'segment' }, figures: [{ seed: 'growth_pct', column: 'arr_growth', scale: 100, digits: 2 }] },
  },
  {
    question: 'Which compliance frameworks are driving the highest customer retention?',
    variant: 'Which frameworks drive customer retention?',
    check: { decline: 'a question of cause; and retention is measured on customers, which a framework (one-to-many) cannot cut without counting a customer once per framework' },
  },
  {
    question: 'How does time-to-compliance vary across enterprise vs startup customers?',
    variant: 'Compare the average days to compliance of startup vs enterprise customers',
    check: { groups: { seed: 'segment', column: 'segment' }, figures: [{ seed: 'avg_days', column: 'average_days_to_compliance', digits: 2 }] },
  },
  {
    question: "What's the average ROI our customers achieve by framework type?",
    variant: 'What return on investment do customers get from each framework?',
    check: { decline: 'no value for an hour saved or revenue a framework brings: ROI would be invented' },
  },
  {
    question: 'Which integrations correlate with fastest compliance achievement?',
    variant: 'Do customers using particular integrations finish compliance faster?',
    check: { decline: 'the data records no integrations' },
  },
  {
    question: 'How many security questionnaires were automated this month?',
    variant: 'In the current month, how many questionnaire activities were automated?',
    check: { figures: [{ seed: 'automated', column: 'automated_activities', digits: 0 }] },
  },
  {
    question: 'Which customer segments have the highest compliance framework adoption rates?',
    variant: 'Average number of frameworks per customer by segment, highest first',
    check: { groups: { seed: 'segment', column: 'segment' }, figures: [{ seed: 'frameworks_per_customer', column: 'frameworks_per_customer', digits: 3 }], ordered: true },
  },
  {
    question: "What's the relationship between number of frameworks and customer expansion?",
    variant: 'How does the number of frameworks a customer adopts correlate with upsells?',
    check: { figures: [{ seed: 'r', column: 'frameworks_expansion_correlation', digits: 3 }] },
  },
  {
    question: 'How do audit completion rates vary by industry vertical?',
    variant: 'What is the completion rate of framework adoptions per industry?',
    check: { groups: { seed: 'industry', column: 'industry' }, figures: [{ seed: 'completed_pct', column: 'completion_rate', scale: 100, digits: 2 }] },
  },
  {
    question: 'What was our total ARR in Q4 2024?',
    variant: 'Total annual recurring revenue at the end of Q4 2024',
    check: { figures: [money('arr', 'total_arr')] },
  },
  {
    question: 'Which industry vertical has the highest average compliance automation rate?',
    variant: 'Which vertical has the best average automation level?',
    check: { groups: { seed: 'industry', column: 'industry' }, figures: [{ seed: 'automation_pct', column: 'average_automation_level', digits: 2 }], ordered: true },
  },
  {
    question: 'How much time did enterprise customers save on SOC 2 compliance implementations in 2024?',
    variant: 'What were the hours saved on SOC 2 by enterprise customers in 2024?',
    check: { figures: [{ seed: 'hours_saved', column: 'realised_hours_saved', digits: 0 }] },
  },
  {
    question: "What's the correlation between number of frameworks adopted and customer ARR?",
    variant: 'How does customer ARR correlate with the number of frameworks adopted?',
    check: { figures: [{ seed: 'r', column: 'frameworks_arr_correlation', digits: 3 }] },
  },
  {
    question: 'Which customer segment shows the fastest time-to-compliance for HIPAA?',
    variant: 'For HIPAA, which segment has the shortest average days to compliance?',
    check: { groups: { seed: 'segment', column: 'segment' }, figures: [{ seed: 'avg_days', column: 'average_days_to_compliance', digits: 2 }], ordered: true },
  },
  {
    question: 'What percentage of control checks are automated for fintech customers?',
    variant: 'Among fintech customers, what share of control checks is automated?',
    check: { figures: [{ seed: 'automated_pct', column: 'automated_activity_rate', scale: 100, digits: 2 }] },
  },
  {
    question: 'How does audit success rate vary by customer compliance maturity level?',
    variant: 'Audit success rate by maturity level',
    check: { groups: { seed: 'compliance_maturity', column: 'compliance_maturity' }, figures: [{ seed: 'success_pct', column: 'success_rate', scale: 100, digits: 2 }] },
  },
  {
    question: 'Which frameworks require the most remediation activities?',
    variant: 'Which framework has the most remediations?',
    check: { groups: { seed: 'framework_name', column: 'framework' }, figures: [{ seed: 'remediations', column: 'remediation_activities', digits: 0 }], ordered: true },
  },
  {
    question: "What's the average implementation cost for SOC 2 Type II by customer segment?",
    variant: 'Average SOC 2 Type 2 implementation cost per customer segment',
    check: { groups: { seed: 'segment', column: 'segment' }, figures: [money('avg_cost', 'average_implementation_cost')] },
  },
  {
    question: 'How many high-risk compliance activities occurred in the last quarter?',
    variant: 'Count of high risk activities last quarter',
    check: { figures: [{ seed: 'high_risk', column: 'high_risk_activities', digits: 0 }] },
  },
  {
    question: 'What is our total ARR for 2024?',
    variant: "What's our ARR at the end of 2024?",
    check: { figures: [money('arr', 'total_arr')] },
  },
  {
    question: "How many customers do we have and what's our total MRR?",
    variant: "What's our total MRR, and how many paying customers do we have?",
    check: { figures: [{ seed: 'customers', column: 'paying_customers', digits: 0 }, money('mrr', 'total_mrr')] },
  },
  {
    question: "What's the total hours saved across all our customers?",
    variant: 'How many hours have we saved for customers in total?',
    check: { figures: [{ seed: 'realised', column: 'realised_hours_saved', digits: 0 }] },
  },
  {
    question: "How many framework adoptions do we have and what's the average automation level?",
    variant: "What's the average automation level, and how many adoptions are there?",
    check: { figures: [{ seed: 'adoptions', column: 'adoption_count', digits: 0 }, { seed: 'avg_automation_pct', column: 'average_automation_level', digits: 2 }] },
  },
  {
    question: "What's our average MRR per customer and total compliance activities performed?",
    variant: 'Total compliance activities performed and average MRR per customer?',
    check: { figures: [money('avg_mrr', 'average_mrr_per_customer'), { seed: 'activities', column: 'total_compliance_activities', digits: 0 }] },
  },
  {
    question: 'What was the ARR in Jan 2025?',
    variant: 'What ARR do we have in February 2025?',
    check: { decline: 'the data ends on the as-of date, 2024-12-31' },
  },
];

/** Questions about what the warehouse does not hold: each must be declined without a figure. */
export const UNANSWERABLE: readonly string[] = [
  'What is our NPS by customer segment?',
  'How many support tickets did enterprise customers open in Q4 2024?',
  'What was our ARR in Q3 2025?',
  'Which sales rep closed the most deals in 2024?',
  'What is the average salary of our compliance engineers?',
];

type Rows = ReadonlyArray<Record<string, unknown>>;

const key = (value: unknown): string => String(value ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
const round = (value: unknown, digits: number, scale = 1): number => Number((Number(value) * scale).toFixed(digits));

/** The answer's figures (rows of objects by column) as the seed computation's: groups and rounded figures. */
export function comparable(check: AnswerCheck, answer: Rows, seeds: Rows): { answer: unknown[]; seeds: unknown[] } {
  const shape = (rows: Rows, side: 'seed' | 'column', scaled: boolean) => {
    const out = rows.map((r) => [
      ...(check.groups ? [key(r[check.groups[side]])] : []),
      ...check.figures.map((f) => round(r[f[side]], f.digits, scaled ? f.scale : 1)),
    ]);
    return check.ordered ? out : [...out].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  };
  return { answer: shape(answer, 'column', true), seeds: shape(seeds, 'seed', false) };
}

/** A sentence holds no figure: digits only in dates, years and periods it names ("2024-12-31", "Q3 2025", "2024"). */
export const holdsNoFigure = (sentence: string): boolean =>
  !/\d/.test(sentence.replace(/\d{4}-\d{2}-\d{2}/g, '').replace(/\bQ[1-4]\b/g, '').replace(/\b(?:19|20)\d{2}\b/g, ''));
