// Parser errors as PowerShell reports them: the message, an error id (ParseException's ErrorId, e.g.
// TerminatorExpectedAtEndOfString), and where: line, column and the source line with a "~" marker under the text.
import type { Extent } from './ast';

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based, as PowerShell's "char:". */
  column: number;
  lineText: string;
}

export function positionOf(source: string, offset: number): SourcePosition {
  const clamped = Math.max(0, Math.min(offset, source.length));
  const lineStart = source.lastIndexOf('\n', clamped - 1) + 1;
  let lineEnd = source.indexOf('\n', clamped);
  if (lineEnd < 0) lineEnd = source.length;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (source.charCodeAt(i) === 10) line++;
  return { line, column: clamped - lineStart + 1, lineText: source.slice(lineStart, lineEnd).replace(/\r$/, '') };
}

/** The position block PowerShell prints under an error: "At line:1 char:8", the line, and "~" under the extent. */
export function positionMessage(source: string, extent: Extent): string {
  const pos = positionOf(source, extent.start);
  const shown = shortenLine(pos.lineText, pos.column - 1);
  const lineEnd = extent.start - (pos.column - 1) + pos.lineText.length;
  const width = Math.max(1, Math.min(extent.end, lineEnd) - extent.start);
  const marker = ' '.repeat(shown.markerAt) + '~'.repeat(Math.min(width, Math.max(1, shown.text.length - shown.markerAt)));
  return `At line:${pos.line} char:${pos.column}\n+ ${shown.text}\n+ ${marker}`;
}

/** A long line is cut around the marker, as PowerShell does with "...", so the caret stays visible. */
function shortenLine(text: string, markerAt: number): { text: string; markerAt: number } {
  const max = 100;
  if (text.length <= max) return { text, markerAt };
  const start = Math.max(0, Math.min(markerAt - 30, text.length - max));
  const head = start > 0 ? '... ' : '';
  const body = text.slice(start, start + max - head.length);
  return { text: head + body + (start + body.length < text.length ? ' ...' : ''), markerAt: markerAt - start + head.length };
}

export class PsParseError extends Error {
  constructor(
    message: string,
    readonly errorId: string,
    readonly extent: Extent,
  ) {
    super(message);
    this.name = 'PsParseError';
  }
}

/** The whole report, as Windows PowerShell's NormalView prints a ParseException. */
export function formatParseError(source: string, error: PsParseError): string {
  return [
    positionMessage(source, error.extent),
    error.message,
    '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
    `    + FullyQualifiedErrorId : ${error.errorId}`,
  ].join('\n');
}
