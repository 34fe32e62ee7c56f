// The console's PowerShell language: tokenizer, parser, syntax tree, parser errors with positions, hard limits.
export type { BinaryOp, CommandElement, Expr, Extent, Pipeline, PipelineElement, Script, Statement } from './ast';
export { formatParseError, positionMessage, positionOf, PsParseError } from './errors';
export { LIMITS } from './limits';
export { parse } from './parser';
export { tokenize } from './tokenizer';
export type { Token } from './tokens';
