/** Shared shapes of the offline eval: a case is one JSON line of a suite, dispatched on its `kind`. */

export interface EvalCase {
  kind: string;
  id: string;
  [field: string]: unknown;
}

export interface EvalContext {
  /** Absolute folder of the suite file: relative paths in cases resolve against it. */
  suiteDir: string;
  suiteName: string;
}

export interface CaseResult {
  pass: boolean;
  /** What the product code produced (written by --out). */
  actual: unknown;
  /** One line saying why a case failed. */
  detail?: string;
  /** Graded scores in [0, 1] (e.g. precision, recall); the suite summary reports their means. */
  scores?: Record<string, number>;
}

/** One kind of case (edit, completion, retrieval, …): a module registered in kinds/index.ts. */
export interface Evaluator {
  evaluate(testCase: EvalCase, context: EvalContext): CaseResult | Promise<CaseResult>;
}
