// The tokens of the console's PowerShell subset. Command mode and expression mode share one tokenizer: a "-Name" is a
// dash token that the parser reads as a parameter in a command and as an operator (-eq, -like...) in an expression.
import type { Extent } from './ast';

export type Punctuator = '|' | ';' | ',' | '=' | '(' | ')' | '{' | '}' | '@(' | '$(' | '[' | ']' | '.' | '..' | '!';

export type StringPart = string | { kind: 'variable'; name: string; extent: Extent } | { kind: 'sub'; tokens: Token[]; extent: Extent };

export type Token =
  | { kind: 'word'; text: string; extent: Extent }
  /** `-Name` or `-Name:` (colon: the value follows, as in -Confirm:$false). */
  | { kind: 'dash'; name: string; colon: boolean; extent: Extent }
  | { kind: 'number'; value: number; extent: Extent }
  | { kind: 'string'; parts: StringPart[]; expandable: boolean; extent: Extent }
  | { kind: 'variable'; name: string; extent: Extent }
  /** A property name after an adjacent "." ($vm.Name). */
  | { kind: 'member'; name: string; extent: Extent }
  | { kind: 'punct'; value: Punctuator; extent: Extent }
  | { kind: 'newline'; extent: Extent }
  | { kind: 'eof'; extent: Extent };

export function describeToken(source: string, token: Token): string {
  if (token.kind === 'eof') return '';
  if (token.kind === 'newline') return 'newline';
  return source.slice(token.extent.start, token.extent.end);
}
