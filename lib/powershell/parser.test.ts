import { describe, expect, it } from 'vitest';
import { formatParseError, parse, PsParseError, tokenize, type Expr, type PipelineElement, type Statement } from './index';

const only = (source: string): Statement => {
  const script = parse(source);
  expect(script.statements).toHaveLength(1);
  return script.statements[0]!;
};
const elementsOf = (source: string): PipelineElement[] => {
  const s = only(source);
  return s.kind === 'pipeline' ? s.pipeline.elements : s.value.elements;
};
const commandOf = (source: string) => {
  const e = elementsOf(source)[0]!;
  if (e.kind !== 'command') throw new Error('not a command');
  return e;
};
const exprOf = (source: string): Expr => {
  const e = elementsOf(source)[0]!;
  if (e.kind !== 'expression') throw new Error('not an expression');
  return e.expr;
};
const parseError = (source: string): PsParseError => {
  try {
    parse(source);
  } catch (error) {
    if (error instanceof PsParseError) return error;
    throw error;
  }
  throw new Error(`"${source.slice(0, 40)}" parsed without an error`);
};

describe('commands and parameters', () => {
  it('reads named, colon-joined, switch and positional parameters', () => {
    const c = commandOf('Stop-VM db-01 -Confirm:$false -RunAsync -Server "vcsa-01.lab.local"');
    expect(c.name).toBe('Stop-VM');
    expect(c.elements.map((e) => e.kind)).toEqual(['argument', 'parameter', 'parameter', 'parameter', 'argument']);
    const confirm = c.elements[1]!;
    expect(confirm.kind === 'parameter' && confirm.name).toBe('Confirm');
    expect(confirm.kind === 'parameter' && confirm.value).toMatchObject({ kind: 'const', value: false });
    const runAsync = c.elements[2]!;
    expect(runAsync.kind === 'parameter' && runAsync.value).toBeUndefined();
    expect(c.elements[4]).toMatchObject({ kind: 'argument', value: { kind: 'const', value: 'vcsa-01.lab.local' } });
  });

  it('keeps bare words whole: names with dashes and dots, wildcards, paths', () => {
    const c = commandOf('Export-KeyProvider -KeyProvider NKP-Primary -FilePath C:\\backup\\nkp.p12 db* 10.0.0.1');
    expect(c.elements.filter((e) => e.kind === 'argument').map((e) => (e.value as { text: string }).text)).toEqual(['NKP-Primary', 'C:\\backup\\nkp.p12', 'db*', '10.0.0.1']);
  });

  it('reads comma lists as one argument', () => {
    const c = commandOf('Get-VM db-01, "web-01",app-01');
    expect(c.elements).toHaveLength(1);
    expect(c.elements[0]!.value).toMatchObject({ kind: 'list', items: [{ text: 'db-01' }, { value: 'web-01' }, { text: 'app-01' }] });
  });
});

describe('strings', () => {
  it('single quotes are literal, with doubled quotes inside', () => {
    expect(exprOf("'it''s $nkp `n'")).toMatchObject({ kind: 'const', value: "it's $nkp `n" });
  });

  it('double quotes expand variables and subexpressions and take backtick escapes and doubled quotes', () => {
    const e = exprOf('"VM $name is ""on""`t`$x $($vm.Name)!"');
    expect(e.kind).toBe('expandable');
    if (e.kind !== 'expandable') return;
    expect(e.parts[0]).toBe('VM ');
    expect(e.parts[1]).toMatchObject({ kind: 'variable', name: 'name' });
    expect(e.parts[2]).toBe(' is "on"\t$x ');
    expect(e.parts[3]).toMatchObject({ kind: 'subExpr', body: [{ kind: 'pipeline' }] });
    expect(e.parts[4]).toBe('!');
  });

  it('typographic quotes pasted from a web page are quotes', () => {
    expect(exprOf('\u201cNKP-Primary\u201d')).toMatchObject({ kind: 'const', value: 'NKP-Primary' });
  });
});

describe('values and expressions', () => {
  it('reads numbers, sizes, booleans and null', () => {
    expect(exprOf('42')).toMatchObject({ value: 42 });
    expect(exprOf('1.5')).toMatchObject({ value: 1.5 });
    expect(exprOf('4GB')).toMatchObject({ value: 4 * 1024 ** 3 });
    expect(exprOf('$TRUE')).toMatchObject({ value: true });
    expect(exprOf('$null')).toMatchObject({ value: null });
  });

  it('reads assignment from a pipeline', () => {
    const s = only('$nkp = Get-KeyProvider -Name NKP-Primary');
    expect(s).toMatchObject({ kind: 'assignment', variable: 'nkp', value: { elements: [{ kind: 'command', name: 'Get-KeyProvider' }] } });
  });

  it('reads property chains and indexes', () => {
    expect(exprOf('$vm.ExtensionData.Config.KeyId')).toMatchObject({
      kind: 'member',
      name: 'KeyId',
      target: { kind: 'member', name: 'Config', target: { kind: 'member', name: 'ExtensionData', target: { kind: 'variable', name: 'vm' } } },
    });
    expect(exprOf('(Get-VM)[0].Name')).toMatchObject({ kind: 'member', name: 'Name', target: { kind: 'index', target: { kind: 'paren' } } });
  });

  it('binds comparisons tighter than -and/-or, and -not tighter still', () => {
    const e = exprOf('$_.Name -like "db*" -and -not $_.Encrypted -or $_.PowerState -eq "PoweredOn"');
    expect(e).toMatchObject({
      kind: 'binary',
      op: 'or',
      left: { op: 'and', left: { op: 'like' }, right: { kind: 'not' } },
      right: { op: 'eq' },
    });
  });

  it('knows case-sensitive operators and ranges, arrays and comma lists', () => {
    expect(exprOf('"A" -ceq "a"')).toMatchObject({ op: 'eq', caseSensitive: true });
    expect(exprOf('1..5')).toMatchObject({ kind: 'range', from: { value: 1 }, to: { value: 5 } });
    expect(exprOf('@(1, 2)')).toMatchObject({ kind: 'arrayExpr' });
    expect(exprOf('1, 2, 3')).toMatchObject({ kind: 'list', items: [{}, {}, {}] });
  });
});

describe('pipelines, script blocks and statements', () => {
  it('reads the migration one-liner', () => {
    const elements = elementsOf('Get-VM | Where-Object {$_.Name -like "db*"} | Set-VM -KeyProvider $nkp');
    expect(elements.map((e) => e.kind === 'command' && e.name)).toEqual(['Get-VM', 'Where-Object', 'Set-VM']);
    const where = elements[1]!;
    expect(where.kind === 'command' && where.elements[0]).toMatchObject({ kind: 'argument', value: { kind: 'scriptBlock', text: '$_.Name -like "db*"' } });
  });

  it('separates statements by semicolons and newlines, skips comments, continues lines with a backtick', () => {
    const script = parse('# set up\n$a = 1; $b = 2 # two\n<# block\ncomment #>\nGet-VM `\n  -Name db-01\n');
    expect(script.statements.map((s) => s.kind)).toEqual(['assignment', 'assignment', 'pipeline']);
    const last = script.statements[2]!;
    expect(last.kind === 'pipeline' && last.pipeline.elements[0]).toMatchObject({ kind: 'command', elements: [{ kind: 'parameter', name: 'Name' }, { kind: 'argument' }] });
  });

  it('lets a pipeline continue on the next line after a bar', () => {
    expect(elementsOf('Get-VM |\n  Sort-Object Name')).toHaveLength(2);
  });

  it('reads multi-line script blocks', () => {
    const where = elementsOf('Get-VM | ForEach-Object {\n  $n = $_.Name\n  "VM $n"\n}')[1]!;
    expect(where.kind === 'command' && where.elements[0]!.value).toMatchObject({ kind: 'scriptBlock', body: [{ kind: 'assignment' }, { kind: 'pipeline' }] });
  });
});

describe('errors as PowerShell reports them', () => {
  it('an unterminated string names the missing terminator, with line and column', () => {
    const source = 'Get-VM -Name "db-01';
    const error = parseError(source);
    expect(error.errorId).toBe('TerminatorExpectedAtEndOfString');
    expect(error.message).toBe('The string is missing the terminator: ".');
    expect(formatParseError(source, error)).toBe(
      [
        'At line:1 char:14',
        '+ Get-VM -Name "db-01',
        '+              ~~~~~~',
        'The string is missing the terminator: ".',
        '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
        '    + FullyQualifiedErrorId : TerminatorExpectedAtEndOfString',
      ].join('\n'),
    );
  });

  it('a missing closing brace points at the opening one, on its line', () => {
    const source = '$x = 1\nGet-VM | Where-Object {$_.Name -like "db*"';
    const error = parseError(source);
    expect(error.errorId).toBe('MissingEndCurlyBrace');
    expect(error.message).toBe("Missing closing '}' in statement block or type definition.");
    expect(formatParseError(source, error).split('\n').slice(0, 3)).toEqual(['At line:2 char:23', '+ Get-VM | Where-Object {$_.Name -like "db*"', '+                       ~']);
  });

  it('an unexpected token is named', () => {
    const error = parseError('Get-VM | Sort-Object Name )');
    expect(error.errorId).toBe('UnexpectedToken');
    expect(error.message).toBe("Unexpected token ')' in expression or statement.");
    expect(parseError('$a -foo 1').message).toBe("Unexpected token '-foo' in expression or statement.");
  });

  it('an empty pipe element, a missing value after = or an operator, a missing )', () => {
    expect(parseError('Get-VM | | Sort-Object').errorId).toBe('EmptyPipeElement');
    expect(parseError('Get-VM |').errorId).toBe('EmptyPipeElement');
    expect(parseError('$a =').message).toBe("You must provide a value expression following the '=' operator.");
    expect(parseError('$a -eq').message).toBe("You must provide a value expression following the '-eq' operator.");
    expect(parseError('(Get-VM').errorId).toBe('MissingEndParenthesisInExpression');
    expect(parseError('"$(Get-VM').errorId).toBe('MissingEndParenthesisInSubexpression');
  });

  it('says which PowerShell the lab does not take', () => {
    expect(parseError('if ($a) { Get-VM }').message).toMatch(/'if' statement is not supported/);
    expect(parseError('Get-VM > vms.txt').errorId).toBe('RedirectionNotSupported');
    expect(parseError('$vm.ToString()').errorId).toBe('NotSupportedInLab');
  });
});

describe('hostile input is refused or handled, never hangs', () => {
  it('handles a 10,000-character line', () => {
    const name = 'x'.repeat(10_000);
    expect(commandOf(`Get-VM -Name "${name}"`).elements[1]!.value).toMatchObject({ value: name });
  });

  it('refuses a line over the limit cleanly, with a position', () => {
    const error = parseError(`Get-VM ${'a'.repeat(60_000)}`);
    expect(error.errorId).toBe('LineTooLong');
    expect(error.message).toMatch(/60,007 characters long/);
  });

  it('refuses deeply nested script blocks with a ParserError, without a stack overflow', () => {
    const error = parseError(`${'{'.repeat(10_000)}${'}'.repeat(10_000)}`);
    expect(error.errorId).toBe('NestingTooDeep');
    expect(parseError('('.repeat(5_000) + '1' + ')'.repeat(5_000)).errorId).toBe('NestingTooDeep');
    expect(parseError('"$('.repeat(5_000)).errorId).toBe('NestingTooDeep');
  });

  it('accepts nesting within the limit', () => {
    expect(exprOf(`${'('.repeat(30)}1${')'.repeat(30)}`).kind).toBe('paren');
  });

  it('tokenizes a long pipeline of many elements', () => {
    const source = Array.from({ length: 2_000 }, () => 'Sort-Object').join(' | ');
    expect(elementsOf(`Get-VM | ${source}`)).toHaveLength(2_001);
    expect(tokenize('1..100000').map((t) => t.kind)).toEqual(['number', 'punct', 'number', 'eof']);
  });
});
