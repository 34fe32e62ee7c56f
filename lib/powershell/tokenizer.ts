// Turns console input into tokens: quoting and escapes as PowerShell has them (single quotes literal with '' inside;
// double quotes with backtick escapes, "" inside, and $var / ${var} / $( ... ) expanded), comments, line continuation,
// numbers with KB/MB/GB, variables, and the punctuation of pipelines, script blocks and arrays. Typographic quotes
// pasted from a web page count as quotes, as they do in PowerShell.
import { PsParseError } from './errors';
import { LIMITS } from './limits';
import type { Punctuator, StringPart, Token } from './tokens';

const SINGLE_QUOTES = new Set(["'", '\u2018', '\u2019', '\u201a', '\u201b']);
const DOUBLE_QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e']);
/** Characters that end a bare word (besides whitespace). */
const WORD_END = new Set(['|', ';', ',', '(', ')', '{', '}', '\n', ...SINGLE_QUOTES, ...DOUBLE_QUOTES]);
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b' };
const SIZE_SUFFIX: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 };

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0';
const isLetter = (c: string | undefined) => !!c && /[A-Za-z_]/.test(c);
const isDigit = (c: string | undefined) => !!c && c >= '0' && c <= '9';
const isVarChar = (c: string | undefined) => !!c && /[A-Za-z0-9_?:]/.test(c);

/** Refuses input over the lab's size limits before any work is done on it. */
export function checkInputSize(source: string): void {
  if (source.length > LIMITS.maxScriptLength) {
    throw new PsParseError(
      `The input is ${source.length.toLocaleString('en-US')} characters long; the lab's console takes up to ${LIMITS.maxScriptLength.toLocaleString('en-US')} characters at once.`,
      'InputTooLong',
      { start: 0, end: 1 },
    );
  }
  let lineStart = 0;
  for (let i = 0; i <= source.length; i++) {
    if (i === source.length || source.charCodeAt(i) === 10) {
      if (i - lineStart > LIMITS.maxLineLength) {
        throw new PsParseError(
          `This line is ${(i - lineStart).toLocaleString('en-US')} characters long; the lab's console takes lines of up to ${LIMITS.maxLineLength.toLocaleString('en-US')} characters.`,
          'LineTooLong',
          { start: lineStart, end: lineStart + 1 },
        );
      }
      lineStart = i + 1;
    }
  }
}

export function tokenize(source: string): Token[] {
  checkInputSize(source);
  const scanner = new Scanner(source);
  return scanner.readAll();
}

class Scanner {
  private pos = 0;
  private tokens: Token[] = [];

  constructor(private readonly src: string) {}

  readAll(): Token[] {
    const out: Token[] = [];
    this.tokens = out;
    for (;;) {
      const token = this.next(0);
      out.push(token);
      if (token.kind === 'eof') return out;
    }
  }

  /** The previous token ends right here (no space between): "." is then member access and "[" an index. */
  private adjacentToValue(list: Token[]): boolean {
    const last = list[list.length - 1];
    if (!last || last.extent.end !== this.pos) return false;
    return (
      last.kind === 'variable' ||
      last.kind === 'member' ||
      last.kind === 'string' ||
      (last.kind === 'punct' && (last.value === ')' || last.value === ']'))
    );
  }

  private punct(value: Punctuator, length: number): Token {
    const start = this.pos;
    this.pos += length;
    return { kind: 'punct', value, extent: { start, end: this.pos } };
  }

  private next(depth: number, list: Token[] = this.tokens): Token {
    const src = this.src;
    // Whitespace, comments and line continuations.
    for (;;) {
      const c = src[this.pos];
      if (isSpace(c)) this.pos++;
      else if (c === '`' && (src[this.pos + 1] === '\n' || (src[this.pos + 1] === '\r' && src[this.pos + 2] === '\n'))) {
        this.pos += src[this.pos + 1] === '\r' ? 3 : 2;
      } else if (c === '<' && src[this.pos + 1] === '#') {
        const end = src.indexOf('#>', this.pos + 2);
        if (end < 0) throw new PsParseError('Missing the terminator: #> for the comment block.', 'MissingTerminatorMultiLineComment', { start: this.pos, end: this.pos + 2 });
        this.pos = end + 2;
      } else if (c === '#') {
        while (this.pos < src.length && src[this.pos] !== '\n') this.pos++;
      } else break;
    }
    const start = this.pos;
    const c = src[this.pos];
    if (c === undefined) return { kind: 'eof', extent: { start, end: start } };
    if (c === '\n') {
      this.pos++;
      return { kind: 'newline', extent: { start, end: this.pos } };
    }
    if (c === '.' && this.adjacentToValue(list) && (isLetter(src[this.pos + 1]) || isDigit(src[this.pos + 1]))) {
      list.push(this.punct('.', 1));
      const nameStart = this.pos;
      while (this.pos < src.length && /[A-Za-z0-9_]/.test(src[this.pos]!)) this.pos++;
      return { kind: 'member', name: src.slice(nameStart, this.pos), extent: { start: nameStart, end: this.pos } };
    }
    if (c === '[' && this.adjacentToValue(list)) return this.punct('[', 1);
    if (c === '.' && src[this.pos + 1] === '.' && (list.length > 0 && list[list.length - 1]!.extent.end === this.pos)) return this.punct('..', 2);
    switch (c) {
      case '|':
        if (src[this.pos + 1] === '|') throw new PsParseError("The token '||' is not supported in the lab's console. Use ';' between statements.", 'InvalidEndOfLine', { start, end: start + 2 });
        return this.punct('|', 1);
      case ';':
        return this.punct(';', 1);
      case ',':
        return this.punct(',', 1);
      case '=':
        return this.punct('=', 1);
      case '(':
        return this.punct('(', 1);
      case ')':
        return this.punct(')', 1);
      case '{':
        return this.punct('{', 1);
      case '}':
        return this.punct('}', 1);
      case '[':
        return this.punct('[', 1);
      case ']':
        return this.punct(']', 1);
      case '!':
        return this.punct('!', 1);
      case '@':
        if (src[this.pos + 1] === '(') return this.punct('@(', 2);
        if (src[this.pos + 1] === '{') {
          throw new PsParseError("Hash tables (@{ }) are not supported in the lab's console.", 'NotSupportedInLab', { start, end: start + 2 });
        }
        break;
      case '&':
        throw new PsParseError("The ampersand (&) character is not allowed. The & operator is reserved for future use; wrap an ampersand in double quotation marks (\"&\") to pass it as part of a string.", 'AmpersandNotAllowed', { start, end: start + 1 });
      case '>':
      case '<':
        throw new PsParseError("Redirection (> and <) is not supported in the lab's console. Use Export-KeyProvider -FilePath to save a file.", 'RedirectionNotSupported', { start, end: start + 1 });
    }
    if (c === '$') return this.variable(depth, list);
    if (SINGLE_QUOTES.has(c)) return this.singleQuoted();
    if (DOUBLE_QUOTES.has(c)) return this.doubleQuoted(depth);
    if (c === '-' && (isLetter(src[this.pos + 1]) || src[this.pos + 1] === '?')) return this.dash();
    if (isDigit(c) || (c === '.' && isDigit(src[this.pos + 1])) || (c === '-' && isDigit(src[this.pos + 1]))) {
      const number = this.number();
      if (number) return number;
    }
    return this.word();
  }

  private dash(): Token {
    const start = this.pos;
    this.pos++;
    const nameStart = this.pos;
    while (this.pos < this.src.length && /[A-Za-z0-9_?]/.test(this.src[this.pos]!)) this.pos++;
    const name = this.src.slice(nameStart, this.pos);
    const colon = this.src[this.pos] === ':';
    if (colon) this.pos++;
    // "-Name-x" or "-C:\path" are words, not parameters.
    const after = this.src[this.pos];
    if (!colon && after !== undefined && !isSpace(after) && !WORD_END.has(after) && after !== '.' && after !== '[' && after !== '$' && after !== '!') {
      this.pos = start;
      return this.word();
    }
    return { kind: 'dash', name, colon, extent: { start, end: this.pos } };
  }

  private number(): Token | null {
    const start = this.pos;
    const m = /^-?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?(kb|mb|gb|tb|pb)?/i.exec(this.src.slice(start, start + 64));
    if (!m) return null;
    const end = start + m[0].length;
    const after = this.src[end];
    const rangeNext = after === '.' && this.src[end + 1] === '.';
    if (after !== undefined && !isSpace(after) && !WORD_END.has(after) && after !== ']' && !rangeNext) return null;
    this.pos = end;
    const suffix = m[4]?.toLowerCase();
    const base = Number(m[0].slice(0, m[0].length - (m[4]?.length ?? 0)));
    return { kind: 'number', value: suffix ? base * SIZE_SUFFIX[suffix]! : base, extent: { start, end } };
  }

  private word(): Token {
    const start = this.pos;
    let text = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (isSpace(c) || WORD_END.has(c)) break;
      if (c === '`') {
        const escaped = this.src[this.pos + 1];
        if (escaped === undefined || escaped === '\n') break;
        text += ESCAPES[escaped] ?? escaped;
        this.pos += 2;
        continue;
      }
      text += c;
      this.pos++;
    }
    if (this.pos === start) {
      throw new PsParseError(`Unexpected token '${this.src[start]}' in expression or statement.`, 'UnexpectedToken', { start, end: start + 1 });
    }
    return { kind: 'word', text, extent: { start, end: this.pos } };
  }

  private variable(depth: number, list: Token[]): Token {
    const src = this.src;
    const start = this.pos;
    if (src[start + 1] === '(') return this.punct('$(', 2);
    if (src[start + 1] === '{') {
      const close = src.indexOf('}', start + 2);
      if (close < 0) throw new PsParseError("Missing closing '}' in the variable name.", 'MissingEndCurlyBrace', { start, end: start + 2 });
      this.pos = close + 1;
      return { kind: 'variable', name: src.slice(start + 2, close), extent: { start, end: this.pos } };
    }
    let end = start + 1;
    if (src[end] === '_' && !isVarChar(src[end + 1])) end++;
    else if (src[end] === '?' || src[end] === '^' || src[end] === '$') end++;
    else while (end < src.length && isVarChar(src[end])) end++;
    // "$env:" ends at the scope's colon only when a name follows it.
    if (src[end - 1] === ':' && !isLetter(src[end])) end--;
    if (end === start + 1) {
      void depth;
      void list;
      this.pos = end;
      return { kind: 'word', text: '$', extent: { start, end } };
    }
    this.pos = end;
    return { kind: 'variable', name: src.slice(start + 1, end), extent: { start, end } };
  }

  private unterminated(start: number, quote: string): never {
    const lineEnd = this.src.indexOf('\n', start);
    throw new PsParseError(`The string is missing the terminator: ${quote}.`, 'TerminatorExpectedAtEndOfString', {
      start,
      end: lineEnd < 0 ? this.src.length : lineEnd,
    });
  }

  private singleQuoted(): Token {
    const src = this.src;
    const start = this.pos;
    let text = '';
    this.pos++;
    for (;;) {
      const c = src[this.pos];
      if (c === undefined) this.unterminated(start, "'");
      if (SINGLE_QUOTES.has(c)) {
        if (SINGLE_QUOTES.has(src[this.pos + 1] ?? '')) {
          text += "'";
          this.pos += 2;
          continue;
        }
        this.pos++;
        return { kind: 'string', parts: [text], expandable: false, extent: { start, end: this.pos } };
      }
      text += c;
      this.pos++;
    }
  }

  private doubleQuoted(depth: number): Token {
    const src = this.src;
    const start = this.pos;
    const parts: StringPart[] = [];
    let text = '';
    this.pos++;
    for (;;) {
      const c = src[this.pos];
      if (c === undefined) this.unterminated(start, '"');
      if (DOUBLE_QUOTES.has(c)) {
        if (DOUBLE_QUOTES.has(src[this.pos + 1] ?? '')) {
          text += '"';
          this.pos += 2;
          continue;
        }
        this.pos++;
        if (text || parts.length === 0) parts.push(text);
        return { kind: 'string', parts, expandable: true, extent: { start, end: this.pos } };
      }
      if (c === '`') {
        const escaped = src[this.pos + 1];
        if (escaped === undefined) this.unterminated(start, '"');
        text += ESCAPES[escaped] ?? escaped;
        this.pos += 2;
        continue;
      }
      if (c === '$' && src[this.pos + 1] === '(') {
        if (text) parts.push(text);
        text = '';
        parts.push(this.subExpressionInString(depth + 1));
        continue;
      }
      if (c === '$' && (isLetter(src[this.pos + 1]) || src[this.pos + 1] === '{' || src[this.pos + 1] === '_')) {
        if (text) parts.push(text);
        text = '';
        const token = this.variable(depth, []);
        if (token.kind === 'variable') parts.push({ kind: 'variable', name: token.name, extent: token.extent });
        continue;
      }
      text += c;
      this.pos++;
    }
  }

  /** `$( ... )` inside a double-quoted string: its tokens up to the matching ")". */
  private subExpressionInString(depth: number): StringPart {
    if (depth > LIMITS.maxNestingDepth) {
      throw new PsParseError(`The expression is nested more than ${LIMITS.maxNestingDepth} levels deep, the lab's limit.`, 'NestingTooDeep', { start: this.pos, end: this.pos + 2 });
    }
    const start = this.pos;
    this.pos += 2;
    const tokens: Token[] = [];
    let open = 1;
    for (;;) {
      const token = this.next(depth, tokens);
      if (token.kind === 'eof') throw new PsParseError("Missing closing ')' in subexpression.", 'MissingEndParenthesisInSubexpression', { start, end: start + 2 });
      if (token.kind === 'punct' && (token.value === '(' || token.value === '$(' || token.value === '@(')) open++;
      if (token.kind === 'punct' && token.value === ')' && --open === 0) {
        tokens.push({ kind: 'eof', extent: token.extent });
        return { kind: 'sub', tokens, extent: { start, end: this.pos } };
      }
      tokens.push(token);
    }
  }
}
