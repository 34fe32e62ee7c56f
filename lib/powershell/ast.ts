// The syntax tree of the PowerShell subset the lab's console accepts. Every node keeps its extent (offsets into the
// source) so an error can point at the text it came from, as PowerShell's "At line:1 char:8" does.

export interface Extent {
  start: number;
  end: number;
}

export type Expr =
  | { kind: 'const'; value: string | number | boolean | null; extent: Extent }
  /** A double-quoted string: literal text and the variables / subexpressions PowerShell expands in it. */
  | { kind: 'expandable'; parts: (string | Expr)[]; extent: Extent }
  /** An unquoted command argument (`db*`, `NKP-Primary`, `C:\backup\nkp.p12`): a string in command mode. */
  | { kind: 'bareword'; text: string; extent: Extent }
  | { kind: 'variable'; name: string; extent: Extent }
  | { kind: 'member'; target: Expr; name: string; extent: Extent }
  | { kind: 'index'; target: Expr; index: Expr; extent: Extent }
  /** `a, b, c` */
  | { kind: 'list'; items: Expr[]; extent: Extent }
  /** `@( ... )`: always an array. */
  | { kind: 'arrayExpr'; body: Statement[]; extent: Extent }
  /** `$( ... )` */
  | { kind: 'subExpr'; body: Statement[]; extent: Extent }
  /** `( pipeline )` */
  | { kind: 'paren'; pipeline: Pipeline; extent: Extent }
  | { kind: 'scriptBlock'; body: Statement[]; text: string; extent: Extent }
  | { kind: 'binary'; op: BinaryOp; caseSensitive: boolean; left: Expr; right: Expr; extent: Extent; opExtent: Extent }
  | { kind: 'not'; operand: Expr; extent: Extent }
  | { kind: 'negate'; operand: Expr; extent: Extent }
  | { kind: 'range'; from: Expr; to: Expr; extent: Extent };

export type BinaryOp =
  | 'eq'
  | 'ne'
  | 'gt'
  | 'ge'
  | 'lt'
  | 'le'
  | 'like'
  | 'notlike'
  | 'match'
  | 'notmatch'
  | 'contains'
  | 'notcontains'
  | 'in'
  | 'notin'
  | 'and'
  | 'or'
  | 'xor';

export type CommandElement =
  /** `-Name value`, `-Name:value`, or a switch `-RunAsync` (value undefined). */
  | { kind: 'parameter'; name: string; value: Expr | undefined; extent: Extent }
  | { kind: 'argument'; value: Expr; extent: Extent };

export type PipelineElement =
  | { kind: 'command'; name: string; nameExtent: Extent; elements: CommandElement[]; extent: Extent }
  | { kind: 'expression'; expr: Expr; extent: Extent };

export interface Pipeline {
  elements: PipelineElement[];
  extent: Extent;
}

export type Statement =
  | { kind: 'assignment'; variable: string; value: Pipeline; extent: Extent }
  | { kind: 'pipeline'; pipeline: Pipeline; extent: Extent };

export interface Script {
  source: string;
  statements: Statement[];
}
