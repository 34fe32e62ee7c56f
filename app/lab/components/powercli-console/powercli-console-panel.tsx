'use client';
// The PowerCLI console panel: a transcript (a log a screen reader announces as it grows) and a command line with
// history (up/down), tab completion and confirmation prompts. It runs PowerCLI against the same lab as the UI
// (machines/console), so an action in one shows at once in the other. Loaded only when the learner opens it.
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { PowerCliConsole, type OutputRecord } from '@/machines/console/powercli-console';
import { complete } from '@/machines/console/completion';
import { clicksSince, type ClickAsPowerCli } from '@/machines/console/clicks-as-powercli';
import type { LabView } from '@/machines/lab-types';
import type { ConfirmAnswer } from '@/machines/console/cmdlet';
import { PsObject } from '@/machines/console/ps-values';
import { useLab, useLabSelector } from '../../hooks/lab-context';
import { downloadBytes } from '../../pages/providers/download';
import { ConfirmPrompt } from './confirm-prompt';
import { useCommandHistory } from './use-command-history';

interface Entry {
  id: number;
  input: string | null;
  records: OutputRecord[];
  files: { name: string; bytes: Uint8Array }[];
  /** "Show clicks as PowerCLI": what the learner did outside the console, as its one-liners. */
  clicks?: ClickAsPowerCli[];
}

const wholeView = (view: LabView) => view;
const lastSeqOf = (view: LabView) => view.journal.entries.reduce((m, e) => Math.max(m, e.seq), 0);

const labIdOf = (view: { labId: string }) => view.labId;
const WELCOME = "PowerCLI for this lab. Start with Connect-VIServer -Server vcsa-01.lab.local; Get-Help lists what the console supports. Tab completes, up and down walk the history.";

const STREAM_CLASS: Record<OutputRecord['stream'], string> = {
  output: 'text-slate-100',
  host: 'text-sky-200',
  warning: 'text-amber-200',
  error: 'text-red-300',
};

export default function PowerCliConsolePanel() {
  const lab = useLab();
  const labId = useLabSelector(labIdOf);
  const view = useLabSelector(wholeView);
  const [showClicks, setShowClicks] = useState(false);
  const showClicksId = useId();
  const [entries, setEntries] = useState<Entry[]>([{ id: 0, input: null, records: [{ stream: 'host', text: WELCOME }], files: [] }]);
  const [line, setLine] = useState('');
  const [running, setRunning] = useState(false);
  const [question, setQuestion] = useState<{ message: string; resolve: (a: ConfirmAnswer) => void } | null>(null);
  const [hint, setHint] = useState('');
  const history = useCommandHistory(labId);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const nextId = useRef(1);
  const inputId = useId();
  const hintId = useId();
  const fileId = useId();

  const console_ = useMemo(
    () =>
      new PowerCliConsole(lab, {
        confirm: (_caption, message) => new Promise<ConfirmAnswer>((resolve) => setQuestion({ message, resolve })),
      }),
    [lab],
  );

  const append = useCallback((entry: Omit<Entry, 'id'>) => {
    setEntries((old) => [...old.slice(-200), { ...entry, id: nextId.current++ }]);
    window.setTimeout(() => logRef.current?.scrollTo({ top: logRef.current.scrollHeight }), 0);
  }, []);

  // The journal entries the console has looked at (what was done before it opened is not shown), the ones it made
  // itself (everything journaled while a console input runs), and the world before the newest entries (asPowerCli reads
  // names and counts as they were when the command was given).
  const seenSeq = useRef(lastSeqOf(view));
  const fromConsole = useRef(new Set<number>());
  const consoleBusy = useRef(false);
  const viewBefore = useRef(view);
  const markConsoleEntries = useCallback(() => {
    for (const e of lab.getView().journal.entries) if (e.seq > seenSeq.current) fromConsole.current.add(e.seq);
  }, [lab]);
  useEffect(() => {
    if (consoleBusy.current) markConsoleEntries();
    const { clicks, lastSeq } = clicksSince(view.journal.entries, seenSeq.current, fromConsole.current, viewBefore.current);
    seenSeq.current = lastSeq;
    viewBefore.current = view;
    if (showClicks && clicks.length > 0) append({ input: null, records: [], files: [], clicks });
  }, [view, showClicks, append, markConsoleEntries]);

  const run = async (text: string) => {
    const trimmed = text.trim();
    if (!trimmed) return;
    history.push(trimmed);
    setLine('');
    setHint('');
    if (/^(cls|clear-host|clear)$/i.test(trimmed)) {
      setEntries([]);
      return;
    }
    setRunning(true);
    consoleBusy.current = true;
    try {
      const result = await console_.run(text);
      markConsoleEntries();
      const files = result.lastOutput
        .filter((o): o is PsObject => o instanceof PsObject && o.typeName === 'FileInfo' && o.get('Bytes') instanceof Uint8Array)
        .map((o) => ({ name: String(o.get('Name')), bytes: o.get('Bytes') as Uint8Array }));
      append({ input: text, records: result.records, files });
    } finally {
      markConsoleEntries();
      consoleBusy.current = false;
      setRunning(false);
      setQuestion(null);
      window.setTimeout(() => inputRef.current?.focus(), 0);
    }
  };

  const answer = (a: ConfirmAnswer) => {
    question?.resolve(a);
    setQuestion(null);
    window.setTimeout(() => inputRef.current?.focus(), 0);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
    const el = e.currentTarget;
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      if (!running) void run(line);
      return;
    }
    const onFirstLine = !el.value.slice(0, el.selectionStart).includes('\n');
    const onLastLine = !el.value.slice(el.selectionEnd).includes('\n');
    if ((e.key === 'ArrowUp' && onFirstLine) || (e.key === 'ArrowDown' && onLastLine)) {
      const next = history.step(e.key === 'ArrowUp' ? -1 : 1, line);
      if (next !== null) {
        e.preventDefault();
        setLine(next);
      }
      return;
    }
    // Tab completes only a word being typed; on an empty line (or after Escape) Tab moves focus as usual.
    if (e.key === 'Tab' && !e.shiftKey && el.selectionStart === el.selectionEnd && /\S$/.test(el.value.slice(0, el.selectionStart))) {
      const c = complete(console_, el.value, el.selectionStart);
      if (c.candidates.length === 0) return;
      e.preventDefault();
      const common = commonPrefix(c.candidates);
      const replacement = c.candidates.length === 1 ? c.candidates[0]! : common.length > c.end - c.start ? common : null;
      if (replacement) {
        const value = el.value.slice(0, c.start) + replacement + el.value.slice(c.end);
        setLine(value);
        const caret = c.start + replacement.length;
        window.setTimeout(() => inputRef.current?.setSelectionRange(caret, caret), 0);
      }
      setHint(c.candidates.length > 1 ? `${c.candidates.length} matches: ${c.candidates.slice(0, 12).join('  ')}${c.candidates.length > 12 ? '  …' : ''}` : '');
      return;
    }
    if (e.key === 'Escape') setHint('');
  };

  const addFile = async (file: File) => {
    const path = `C:\\backup\\${file.name}`;
    console_.addFile(path, new Uint8Array(await file.arrayBuffer()));
    append({ input: null, records: [{ stream: 'host', text: `${path} is in the console (${file.size} bytes): Import-KeyProvider -FilePath ${path} -Password (ConvertTo-SecureString '...' -AsPlainText -Force)` }], files: [] });
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col bg-slate-950 font-mono text-[13px] leading-snug text-slate-100" data-testid="powercli-console">
      <div
        ref={logRef}
        role="log"
        aria-live="polite"
        aria-label="PowerCLI output"
        tabIndex={0}
        className="min-h-0 flex-1 overflow-auto px-3 py-2 outline-none focus-visible:ring-2 focus-visible:ring-sky-400 focus-visible:ring-inset"
      >
        {entries.map((entry) => (
          <div key={entry.id} className="mb-1.5" data-testid="powercli-entry">
            {entry.input !== null ? (
              <pre className="whitespace-pre-wrap break-words text-emerald-300">
                <span aria-hidden="true">PS C:\&gt; </span>
                <span className="sr-only">Command: </span>
                {entry.input}
              </pre>
            ) : null}
            {entry.records.map((r, i) => (
              <pre key={i} className={`${r.stream === 'host' || r.stream === 'warning' ? 'whitespace-pre-wrap break-words' : 'whitespace-pre'} mb-1 ${STREAM_CLASS[r.stream]}`} data-stream={r.stream}>
                {r.stream === 'error' ? <span className="sr-only">Error: </span> : null}
                {r.text.replace(/^\n+|\n+$/g, '')}
              </pre>
            ))}
            {entry.clicks?.map((c) => (
              <div key={c.seq} className="mb-1" data-testid="powercli-click">
                <pre className="whitespace-pre-wrap break-words text-slate-400">{c.comment}</pre>
                {c.oneLiner ? (
                  <div className="flex flex-wrap items-start gap-x-2">
                    <pre className="min-w-0 flex-1 whitespace-pre-wrap break-words text-amber-100">
                      <span className="sr-only">As PowerCLI: </span>
                      {c.oneLiner}
                    </pre>
                    <button
                      type="button"
                      onClick={() => {
                        setLine(c.oneLiner!);
                        inputRef.current?.focus();
                      }}
                      aria-label={`Put in the prompt: ${c.oneLiner}`}
                      className="rounded border border-slate-500 px-1.5 text-xs text-slate-200 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-sky-400"
                    >
                      Put in prompt
                    </button>
                  </div>
                ) : (
                  <pre className="whitespace-pre-wrap break-words text-slate-400"># {c.note}</pre>
                )}
              </div>
            ))}
            {entry.files.map((f) => (
              <button
                key={f.name}
                type="button"
                onClick={() => downloadBytes(f.bytes, f.name)}
                className="mt-1 rounded border border-sky-500 px-2 py-0.5 text-sky-200 hover:bg-sky-950 focus-visible:outline-2 focus-visible:outline-sky-400"
              >
                Download {f.name} ({f.bytes.length} bytes)
              </button>
            ))}
          </div>
        ))}
        {question ? <ConfirmPrompt message={question.message} onAnswer={answer} /> : null}
        {running && !question ? <p className="text-slate-400">Running…</p> : null}
      </div>
      <div className="flex items-start gap-2 border-t border-slate-700 px-3 py-1.5">
        <label htmlFor={inputId} className="pt-0.5 text-emerald-300">
          <span aria-hidden="true">PS C:\&gt;</span>
          <span className="sr-only">PowerCLI command</span>
        </label>
        <textarea
          id={inputId}
          ref={inputRef}
          rows={Math.min(6, line.split('\n').length)}
          value={line}
          onChange={(e) => setLine(e.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby={hintId}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          placeholder="Get-VM"
          className="min-w-0 flex-1 resize-none bg-transparent text-slate-100 placeholder:text-slate-500 outline-none"
        />
        <button
          type="button"
          disabled={running || !line.trim()}
          onClick={() => void run(line)}
          className="rounded border border-slate-500 px-2 py-0.5 text-slate-100 hover:bg-slate-800 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-sky-400"
        >
          Run
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-slate-800 px-3 py-1 text-xs text-slate-400">
        <p id={hintId} aria-live="polite" className="min-w-0 flex-1 basis-full sm:basis-0">
          {hint || 'Enter runs, Shift+Enter adds a line, Tab completes, ↑/↓ history.'}
        </p>
        <label htmlFor={showClicksId} className="inline-flex cursor-pointer items-center gap-1.5 text-slate-200">
          <input
            id={showClicksId}
            type="checkbox"
            checked={showClicks}
            onChange={(e) => setShowClicks(e.target.checked)}
            className="accent-sky-400 focus-visible:outline-2 focus-visible:outline-sky-400"
          />
          Show clicks as PowerCLI
        </label>
        <label htmlFor={fileId} className="cursor-pointer rounded border border-slate-600 px-2 py-0.5 text-slate-200 hover:bg-slate-800 focus-within:outline-2 focus-within:outline-sky-400">
          Add a file…
          <input
            id={fileId}
            type="file"
            accept=".p12,application/x-pkcs12"
            className="sr-only"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void addFile(file);
              e.target.value = '';
            }}
          />
        </label>
      </div>
    </div>
  );
}

function commonPrefix(words: string[]): string {
  let prefix = words[0] ?? '';
  for (const w of words) while (!w.toLowerCase().startsWith(prefix.toLowerCase())) prefix = prefix.slice(0, -1);
  return prefix;
}
