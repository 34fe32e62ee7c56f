// Hard limits, so that hostile input (a megabyte line, thousands of nested braces, a pipeline of millions of items, an
// endless loop of script blocks) is refused with a clear message instead of hanging the page or blowing the stack.

export const LIMITS = {
  /** Characters in one submitted script. */
  maxScriptLength: 200_000,
  /** Characters on one line: a 10,000-character line is fine, a 100,000-character one is refused. */
  maxLineLength: 50_000,
  /** Nesting of script blocks, parentheses, subexpressions and arrays together. */
  maxNestingDepth: 64,
  /** Items one pipeline stage (or a range like 1..N) may hold. */
  maxPipelineItems: 1_000_000,
  /** Evaluation steps of one submitted script (each expression, each item through a cmdlet). */
  maxSteps: 5_000_000,
} as const;
