// A recursive-descent parser for the console's PowerShell subset: statements (pipelines and `$x = ...`) separated by
// ";" or newlines; pipelines of commands and expressions; commands with parameters (-Name value, -Name:value,
// switches) and positional arguments; expressions with -and/-or/-not, comparisons, ranges, comma lists, member access,
// indexing, strings, numbers, variables, ( ), $( ), @( ) and script blocks { }. Nesting deeper than the lab's limit
// is refused with a ParserError rather than recursing on.
import type { BinaryOp, CommandElement, Expr, Extent, Pipeline, PipelineElement, Script, Statement } from './ast';
import { PsParseError } from './errors';
import { LIMITS } from './limits';
import { describeToken, type Punctuator, type Token } from './tokens';
import { tokenize } from './tokenizer';

const COMPARISON: Record<string, BinaryOp> = {
  eq: 'eq',
  ne: 'ne',
  gt: 'gt',
  ge: 'ge',
  lt: 'lt',
  le: 'le',
  like: 'like',
  notlike: 'notlike',
  match: 'match',
  notmatch: 'notmatch',
  contains: 'contains',
  notcontains: 'notcontains',
  in: 'in',
  notin: 'notin',
};
const LOGICAL: Record<string, BinaryOp> = { and: 'and', or: 'or', xor: 'xor' };
const UNSUPPORTED_KEYWORDS = new Set(['if', 'else', 'elseif', 'foreach', 'for', 'while', 'do', 'switch', 'function', 'filter', 'param', 'try', 'trap', 'return', 'break', 'continue', 'throw', 'class', 'begin', 'process', 'end']);

/** A comparison operator's name and case rule: -ceq is case-sensitive, -ieq and -eq are not. */
function comparisonOf(name: string): { op: BinaryOp; caseSensitive: boolean } | null {
  const lower = name.toLowerCase();
  if (COMPARISON[lower]) return { op: COMPARISON[lower], caseSensitive: false };
  if ((lower.startsWith('c') || lower.startsWith('i')) && COMPARISON[lower.slice(1)]) return { op: COMPARISON[lower.slice(1)]!, caseSensitive: lower.startsWith('c') };
  return null;
}

export function parse(source: string): Script {
  const parser = new Parser(source, tokenize(source));
  return { source, statements: parser.script() };
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private tokens: Token[],
  ) {}

  script(): Statement[] {
    const statements = this.statements(null);
    const t = this.peek();
    if (t.kind !== 'eof') this.unexpected(t);
    return statements;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private take(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isPunct(t: Token, value: Punctuator): boolean {
    return t.kind === 'punct' && t.value === value;
  }

  private unexpected(t: Token): never {
    if (t.kind === 'eof') throw new PsParseError('Unexpected end of input.', 'UnexpectedEndOfInput', t.extent);
    const text = describeToken(this.src, t);
    if (this.isPunct(t, '}')) throw new PsParseError("Unexpected token '}' in expression or statement.", 'UnexpectedToken', t.extent);
    if (this.isPunct(t, ')')) throw new PsParseError("Unexpected token ')' in expression or statement.", 'UnexpectedToken', t.extent);
    throw new PsParseError(`Unexpected token '${text}' in expression or statement.`, 'UnexpectedToken', t.extent);
  }

  private enter(at: Extent): void {
    if (++this.depth > LIMITS.maxNestingDepth) {
      throw new PsParseError(
        `The script is nested more than ${LIMITS.maxNestingDepth} levels deep (script blocks, parentheses, subexpressions), the lab's limit.`,
        'NestingTooDeep',
        at,
      );
    }
  }

  private leave(): void {
    this.depth--;
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.take();
  }

  /** Statements up to `closer` (or the end of input when null); the closer itself is not taken. */
  private statements(closer: Punctuator | null): Statement[] {
    const out: Statement[] = [];
    for (;;) {
      while (this.peek().kind === 'newline' || this.isPunct(this.peek(), ';')) this.take();
      const t = this.peek();
      if (t.kind === 'eof') return out;
      if (closer && this.isPunct(t, closer)) return out;
      out.push(this.statement());
      const after = this.peek();
      if (after.kind === 'newline' || this.isPunct(after, ';') || after.kind === 'eof') continue;
      if (closer && this.isPunct(after, closer)) continue;
      this.unexpected(after);
    }
  }

  private statement(): Statement {
    const t = this.peek();
    if (t.kind === 'word' && UNSUPPORTED_KEYWORDS.has(t.text.toLowerCase()) && (this.peek(1).kind !== 'newline' || t.text.toLowerCase() === 'else')) {
      const next = this.peek(1);
      if (this.isPunct(next, '(') || this.isPunct(next, '{') || next.kind === 'eof' || next.kind === 'newline' || next.kind === 'variable') {
        throw new PsParseError(
          `The '${t.text.toLowerCase()}' statement is not supported in the lab's console. Use a pipeline with Where-Object and ForEach-Object instead, e.g. Get-VM | Where-Object {$_.PowerState -eq "PoweredOff"} | ForEach-Object { $_.Name }.`,
          'NotSupportedInLab',
          t.extent,
        );
      }
    }
    if (t.kind === 'variable' && this.isPunct(this.peek(1), '=')) {
      this.take();
      const eq = this.take();
      this.skipNewlines();
      const next = this.peek();
      if (next.kind === 'eof' || next.kind === 'newline' || this.isPunct(next, ';') || this.isPunct(next, '}') || this.isPunct(next, ')')) {
        throw new PsParseError("You must provide a value expression following the '=' operator.", 'ExpectedValueExpression', { start: eq.extent.end, end: eq.extent.end + 1 });
      }
      const value = this.pipeline();
      return { kind: 'assignment', variable: t.name, value, extent: { start: t.extent.start, end: value.extent.end } };
    }
    const pipeline = this.pipeline();
    return { kind: 'pipeline', pipeline, extent: pipeline.extent };
  }

  private pipeline(): Pipeline {
    const elements: PipelineElement[] = [];
    const first = this.peek();
    if (this.isPunct(first, '|')) throw new PsParseError('An empty pipe element is not allowed.', 'EmptyPipeElement', first.extent);
    elements.push(this.pipelineElement());
    while (this.isPunct(this.peek(), '|')) {
      const bar = this.take();
      this.skipNewlines();
      const next = this.peek();
      if (next.kind === 'eof' || this.isPunct(next, '|') || this.isPunct(next, ';') || this.isPunct(next, ')') || this.isPunct(next, '}')) {
        throw new PsParseError('An empty pipe element is not allowed.', 'EmptyPipeElement', { start: bar.extent.end, end: bar.extent.end + 1 });
      }
      const element = this.pipelineElement();
      if (element.kind === 'expression') {
        throw new PsParseError('Expressions are only allowed as the first element of a pipeline.', 'ExpressionsMustBeFirstInPipeline', element.extent);
      }
      elements.push(element);
    }
    return { elements, extent: { start: elements[0]!.extent.start, end: elements[elements.length - 1]!.extent.end } };
  }

  private pipelineElement(): PipelineElement {
    const t = this.peek();
    if (t.kind === 'word') return this.command();
    const expr = this.expression();
    return { kind: 'expression', expr, extent: expr.extent };
  }

  private command(): PipelineElement {
    const nameToken = this.take() as Extract<Token, { kind: 'word' }>;
    const elements: CommandElement[] = [];
    let end = nameToken.extent.end;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || t.kind === 'newline' || this.isPunct(t, '|') || this.isPunct(t, ';') || this.isPunct(t, ')') || this.isPunct(t, '}')) break;
      if (t.kind === 'dash') {
        this.take();
        let value: Expr | undefined;
        if (t.colon) {
          const next = this.peek();
          if (next.kind === 'eof' || next.kind === 'newline' || this.isPunct(next, '|') || this.isPunct(next, ';')) {
            throw new PsParseError(`Missing an argument for parameter '${t.name}'.`, 'MissingArgument', t.extent);
          }
          value = this.commandArgument();
        }
        const extent = { start: t.extent.start, end: value?.extent.end ?? t.extent.end };
        elements.push({ kind: 'parameter', name: t.name, value, extent });
        end = extent.end;
        continue;
      }
      const value = this.commandArgument();
      elements.push({ kind: 'argument', value, extent: value.extent });
      end = value.extent.end;
    }
    return { kind: 'command', name: nameToken.text, nameExtent: nameToken.extent, elements, extent: { start: nameToken.extent.start, end } };
  }

  /** An argument in command mode: a value, or a comma list of values ("Get-VM db-01, web-01"). */
  private commandArgument(): Expr {
    const first = this.commandValue();
    if (!this.isPunct(this.peek(), ',')) return first;
    const items = [first];
    while (this.isPunct(this.peek(), ',')) {
      const comma = this.take();
      this.skipNewlines();
      const next = this.peek();
      if (next.kind === 'eof' || next.kind === 'newline' || this.isPunct(next, '|') || this.isPunct(next, ';')) {
        throw new PsParseError("Missing argument in parameter list.", 'MissingArgument', { start: comma.extent.end, end: comma.extent.end + 1 });
      }
      items.push(this.commandValue());
    }
    return { kind: 'list', items, extent: { start: first.extent.start, end: items[items.length - 1]!.extent.end } };
  }

  private commandValue(): Expr {
    const t = this.peek();
    if (t.kind === 'word') {
      this.take();
      return { kind: 'bareword', text: t.text, extent: t.extent };
    }
    if (t.kind === 'dash') {
      // "-" words after a parameter name that are not parameters are plain text, e.g. a negative switch name.
      this.take();
      return { kind: 'bareword', text: this.src.slice(t.extent.start, t.extent.end), extent: t.extent };
    }
    return this.postfix();
  }

  private expression(): Expr {
    return this.logical();
  }

  private logical(): Expr {
    let left = this.comparison();
    for (;;) {
      const t = this.peek();
      const op = t.kind === 'dash' ? LOGICAL[t.name.toLowerCase()] : undefined;
      if (!op) return left;
      this.take();
      this.skipNewlines();
      const right = this.operand(t);
      const r = this.comparisonFrom(right);
      left = { kind: 'binary', op, caseSensitive: false, left, right: r, extent: { start: left.extent.start, end: r.extent.end }, opExtent: t.extent };
    }
  }

  private comparison(): Expr {
    return this.comparisonFrom(this.rangeExpr());
  }

  private comparisonFrom(start: Expr): Expr {
    let left = start;
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'dash') return left;
      const cmp = comparisonOf(t.name);
      if (!cmp) {
        if (LOGICAL[t.name.toLowerCase()] || t.name.toLowerCase() === 'not') return left;
        throw new PsParseError(`Unexpected token '-${t.name}' in expression or statement.`, 'UnexpectedToken', t.extent);
      }
      this.take();
      this.skipNewlines();
      const right = this.operand(t, () => this.rangeExpr());
      left = { kind: 'binary', op: cmp.op, caseSensitive: cmp.caseSensitive, left, right, extent: { start: left.extent.start, end: right.extent.end }, opExtent: t.extent };
    }
  }

  /** The right-hand side of a binary operator, or PowerShell's "You must provide a value expression" error. */
  private operand(op: Token, read: () => Expr = () => this.rangeExpr()): Expr {
    const next = this.peek();
    if (next.kind === 'eof' || next.kind === 'newline' || this.isPunct(next, ';') || this.isPunct(next, '|') || this.isPunct(next, ')') || this.isPunct(next, '}')) {
      const name = describeToken(this.src, op);
      throw new PsParseError(`You must provide a value expression following the '${name}' operator.`, 'ExpectedValueExpression', { start: op.extent.end, end: op.extent.end + 1 });
    }
    return read();
  }

  private rangeExpr(): Expr {
    const from = this.listExpr();
    if (!this.isPunct(this.peek(), '..')) return from;
    const dots = this.take();
    const to = this.operand(dots, () => this.listExpr());
    return { kind: 'range', from, to, extent: { start: from.extent.start, end: to.extent.end } };
  }

  private listExpr(): Expr {
    const first = this.unary();
    if (!this.isPunct(this.peek(), ',')) return first;
    const items = [first];
    while (this.isPunct(this.peek(), ',')) {
      const comma = this.take();
      this.skipNewlines();
      items.push(this.operand(comma, () => this.unary()));
    }
    return { kind: 'list', items, extent: { start: first.extent.start, end: items[items.length - 1]!.extent.end } };
  }

  private unary(): Expr {
    const t = this.peek();
    if ((t.kind === 'dash' && t.name.toLowerCase() === 'not') || this.isPunct(t, '!')) {
      this.take();
      this.enter(t.extent);
      const operand = this.operand(t, () => this.unary());
      this.leave();
      return { kind: 'not', operand, extent: { start: t.extent.start, end: operand.extent.end } };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let expr = this.primary();
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, '.') && this.peek(1).kind === 'member') {
        this.take();
        const member = this.take() as Extract<Token, { kind: 'member' }>;
        if (this.isPunct(this.peek(), '(') && this.peek().extent.start === member.extent.end) {
          throw new PsParseError(
            `Method calls such as .${member.name}() are not supported in the lab's console; read properties instead (e.g. $vm.ExtensionData.Config.KeyId).`,
            'NotSupportedInLab',
            { start: member.extent.start, end: this.peek().extent.end },
          );
        }
        expr = { kind: 'member', target: expr, name: member.name, extent: { start: expr.extent.start, end: member.extent.end } };
        continue;
      }
      if (this.isPunct(t, '[') && t.extent.start === expr.extent.end) {
        this.take();
        this.enter(t.extent);
        this.skipNewlines();
        const index = this.expression();
        this.skipNewlines();
        const close = this.peek();
        if (!this.isPunct(close, ']')) throw new PsParseError("Array index expression is missing or not valid.", 'MissingArrayIndexExpression', t.extent);
        this.take();
        this.leave();
        expr = { kind: 'index', target: expr, index, extent: { start: expr.extent.start, end: close.extent.end } };
        continue;
      }
      return expr;
    }
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.take();
        return { kind: 'const', value: t.value, extent: t.extent };
      case 'string':
        this.take();
        return this.stringExpr(t);
      case 'variable': {
        this.take();
        const lower = t.name.toLowerCase();
        if (lower === 'true') return { kind: 'const', value: true, extent: t.extent };
        if (lower === 'false') return { kind: 'const', value: false, extent: t.extent };
        if (lower === 'null') return { kind: 'const', value: null, extent: t.extent };
        return { kind: 'variable', name: t.name, extent: t.extent };
      }
      case 'dash':
        if (t.name && /^\d/.test(t.name)) break;
        break;
      case 'punct':
        if (t.value === '(') return this.parenthesised();
        if (t.value === '$(' || t.value === '@(') return this.subExpression(t.value);
        if (t.value === '{') return this.scriptBlock();
        if (t.value === '[') {
          throw new PsParseError("Type literals such as [string] are not supported in the lab's console.", 'NotSupportedInLab', t.extent);
        }
        break;
      case 'word':
        // A bare word in expression mode is a command only at the start of a pipeline; elsewhere PowerShell refuses it.
        break;
      default:
        break;
    }
    this.unexpected(t);
  }

  private stringExpr(t: Extract<Token, { kind: 'string' }>): Expr {
    if (!t.expandable) return { kind: 'const', value: t.parts[0] as string, extent: t.extent };
    const parts: (string | Expr)[] = [];
    for (const part of t.parts) {
      if (typeof part === 'string') parts.push(part);
      else if (part.kind === 'variable') parts.push({ kind: 'variable', name: part.name, extent: part.extent });
      else {
        this.enter(part.extent);
        const inner = new Parser(this.src, part.tokens);
        inner.depth = this.depth;
        const body = inner.statements(null);
        if (inner.peek().kind !== 'eof') inner.unexpected(inner.peek());
        this.leave();
        parts.push({ kind: 'subExpr', body, extent: part.extent });
      }
    }
    if (parts.every((p) => typeof p === 'string')) return { kind: 'const', value: parts.join(''), extent: t.extent };
    return { kind: 'expandable', parts, extent: t.extent };
  }

  private parenthesised(): Expr {
    const open = this.take();
    this.enter(open.extent);
    this.skipNewlines();
    if (this.isPunct(this.peek(), ')')) throw new PsParseError('An expression was expected after \'(\'.', 'ExpectedExpression', open.extent);
    const pipeline = this.pipeline();
    this.skipNewlines();
    const close = this.peek();
    if (!this.isPunct(close, ')')) {
      if (close.kind === 'eof') throw new PsParseError("Missing closing ')' in expression.", 'MissingEndParenthesisInExpression', open.extent);
      this.unexpected(close);
    }
    this.take();
    this.leave();
    return { kind: 'paren', pipeline, extent: { start: open.extent.start, end: close.extent.end } };
  }

  private subExpression(kind: '$(' | '@('): Expr {
    const open = this.take();
    this.enter(open.extent);
    const body = this.statements(')');
    const close = this.peek();
    if (!this.isPunct(close, ')')) throw new PsParseError("Missing closing ')' in subexpression.", 'MissingEndParenthesisInSubexpression', open.extent);
    this.take();
    this.leave();
    const extent = { start: open.extent.start, end: close.extent.end };
    return kind === '@(' ? { kind: 'arrayExpr', body, extent } : { kind: 'subExpr', body, extent };
  }

  private scriptBlock(): Expr {
    const open = this.take();
    this.enter(open.extent);
    const body = this.statements('}');
    const close = this.peek();
    if (!this.isPunct(close, '}')) {
      throw new PsParseError("Missing closing '}' in statement block or type definition.", 'MissingEndCurlyBrace', open.extent);
    }
    this.take();
    this.leave();
    return { kind: 'scriptBlock', body, text: this.src.slice(open.extent.end, close.extent.start), extent: { start: open.extent.start, end: close.extent.end } };
  }
}
