'use client';
// The browser check: a self-test that writes a text to an encrypted test disk and reads it back after a reload,
// the storage benchmark with its figures, and the datacenter benchmark. Storage code loads only in the browser, on
// first use.
import { asciiOf, hexByte, hexRows } from '@/lib/hex-dump';
import { MIB } from '@/lib/units';
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from '@/app/lab/components/ui/button';
import { ProgressBar } from '@/app/lab/components/ui/progress-bar';
import type { BenchOptions, BenchResult } from '@/lib/storage/bench';
import { DatacenterBench } from './datacenter-bench';
import type { SelfTestReadBack, SelfTestWritten } from '@/lib/storage/self-test';

declare global {
  interface Window {
    /** For scripts/bench.mjs: runs the storage benchmark in this page. */
    keylabBench?: { run(options?: BenchOptions): Promise<BenchResult> };
  }
}

const loadSelfTest = () => import('@/lib/storage/self-test');
const loadBench = () => import('@/lib/storage/bench');

type SelfTestState =
  | { status: 'checking' }
  | { status: 'empty' }
  | { status: 'stored'; createdAt: number }
  | { status: 'busy'; action: 'write' | 'read' }
  | { status: 'written'; written: SelfTestWritten }
  | { status: 'readBack'; result: SelfTestReadBack }
  | { status: 'error'; message: string; stored: boolean };

type BenchState =
  | { status: 'idle' }
  | { status: 'running'; fraction: number; phase: string }
  | { status: 'done'; result: BenchResult }
  | { status: 'error'; message: string };

// 4 MiB is a quick look (its figures are noisier); 64 MiB is the size scripts/bench.mjs reports.
const DISK_SIZES = [4, 16, 64, 256];

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function BrowserCheck() {
  return (
    <main className="mx-auto max-w-4xl px-4 py-8 sm:px-8">
      <p className="text-sm">
        <Link href="/" className="text-blue-700 underline underline-offset-2 hover:text-blue-900 dark:text-blue-300 dark:hover:text-blue-200">
          keylab
        </Link>
      </p>
      <h1 className="mt-2 text-3xl font-semibold">Browser check</h1>
      <p className="mt-3 max-w-3xl text-slate-700 dark:text-slate-300">
        This page checks that your browser keeps keylab’s encrypted virtual disks (real AES-256-GCM sectors in
        IndexedDB) across a reload, measures how fast it encrypts, stores and re-encrypts them, and how fast it runs a
        datacenter of 500 encrypted VMs.
      </p>
      <SelfTest />
      <Benchmark />
      <DatacenterBench sectionClass={sectionClass} />
    </main>
  );
}

const sectionClass =
  'mt-8 rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900';

function SelfTest() {
  const [state, setState] = useState<SelfTestState>({ status: 'checking' });

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const { openSelfTestDb, selfTestStatus } = await loadSelfTest();
      const db = openSelfTestDb();
      try {
        const status = await selfTestStatus(db);
        if (!cancelled) setState(status ? { status: 'stored', createdAt: status.createdAt } : { status: 'empty' });
      } finally {
        db.close();
      }
    })().catch((error: unknown) => !cancelled && setState({ status: 'error', message: messageOf(error), stored: false }));
    return () => {
      cancelled = true;
    };
  }, []);

  const run = useCallback(async (action: 'write' | 'read') => {
    setState({ status: 'busy', action });
    const lib = await loadSelfTest();
    const db = lib.openSelfTestDb();
    try {
      if (action === 'write') {
        setState({ status: 'written', written: await lib.writeSelfTest(db) });
      } else {
        const result = await lib.readSelfTest(db);
        setState(result ? { status: 'readBack', result } : { status: 'empty' });
      }
    } catch (error) {
      setState({ status: 'error', message: messageOf(error), stored: action === 'read' });
    } finally {
      db.close();
    }
  }, []);

  const busy = state.status === 'busy' || state.status === 'checking';
  const stored = state.status === 'stored' || state.status === 'written' || state.status === 'readBack' || (state.status === 'error' && state.stored);

  return (
    <section aria-labelledby="self-test-heading" className={sectionClass}>
      <h2 id="self-test-heading" className="text-xl font-semibold">
        Self-test
      </h2>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        Writes a text unique to this run to a small test disk, encrypted with a fresh AES-256 key that is kept,
        non-extractable, in this browser’s storage. Then reload the page and read it back: it comes from the encrypted
        disk, not from memory.
      </p>
      <div className="mt-4 flex flex-wrap items-start gap-3">
        <Button variant="primary" onClick={() => void run('write')} disabledReason={busy ? 'Working…' : null}>
          Run self-test
        </Button>
        <Button
          onClick={() => void run('read')}
          disabledReason={busy ? 'Working…' : stored ? null : 'Run the self-test first.'}
        >
          Read back
        </Button>
      </div>
      <div aria-live="polite" className="mt-4 text-sm">
        <SelfTestStatus state={state} />
      </div>
    </section>
  );
}

function SelfTestStatus({ state }: { state: SelfTestState }) {
  switch (state.status) {
    case 'checking':
      return <p className="text-slate-600 dark:text-slate-400">Looking for a stored test disk…</p>;
    case 'empty':
      return <p className="text-slate-600 dark:text-slate-400">No test disk is stored in this browser yet.</p>;
    case 'busy':
      return <p>{state.action === 'write' ? 'Writing the test disk…' : 'Reading the test disk…'}</p>;
    case 'stored':
      return (
        <p>
          A test disk written {formatTime(state.createdAt)} is stored in this browser. Press <strong>Read back</strong>{' '}
          to decrypt it.
        </p>
      );
    case 'written':
      return (
        <div>
          <p className="font-semibold text-emerald-700 dark:text-emerald-400" role="status">
            Written
          </p>
          <p className="mt-1">
            Stored on the encrypted test disk:{' '}
            <q className="font-mono break-all" data-testid="written-text">
              {state.written.text}
            </q>
          </p>
          <p className="mt-2 text-slate-700 dark:text-slate-300">
            Now reload this page (F5 or Ctrl+R; ⌘R on a Mac) and press <strong>Read back</strong>.
          </p>
        </div>
      );
    case 'readBack':
      return <ReadBack result={state.result} />;
    case 'error':
      return (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          The self-test failed: {state.message}
        </p>
      );
  }
}

/** Hex of bytes, 16 per line, with an offset column and, if asked, the printable ones as text between bars. */
function hexDump(bytes: Uint8Array, startOffset: number, withText = false): string {
  return hexRows(bytes)
    .map(({ offset, bytes: row }) => {
      const hex = Array.from(row, hexByte).join(' ');
      return `${(startOffset + offset).toString().padStart(5, ' ')}  ${withText ? `${hex.padEnd(47)}  |${asciiOf(row)}|` : hex}`;
    })
    .join('\n');
}

const NONCE = 12;
const SHOWN = 32;

function ReadBack({ result }: { result: SelfTestReadBack }) {
  // The last bytes of the sector hold the start of the text; the stored ciphertext byte i sits after the nonce.
  const from = result.plainSector.length - SHOWN;
  const plain = result.plainSector.subarray(from);
  const cipher = result.storedSector.subarray(NONCE + from, NONCE + from + SHOWN);
  return (
    <div>
      <dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">Read back</dt>
        <dd className="font-mono break-all" data-testid="read-back-text">
          {result.text}
        </dd>
        <dt className="font-semibold">Written</dt>
        <dd>{formatTime(result.writtenAt)}</dd>
        <dt className="font-semibold">Integrity</dt>
        <dd>Every sector read passed its AES-GCM authentication check.</dd>
      </dl>
      <h3 className="mt-4 font-semibold">Raw stored bytes</h3>
      <p className="mt-1 text-slate-700 dark:text-slate-300">
        Sector {result.sector} as IndexedDB holds it: a 12-byte nonce, 4,096 bytes of ciphertext and a 16-byte
        authentication tag ({result.storedSector.length.toLocaleString('en')} bytes). Below, the last {SHOWN} bytes of the
        sector as the VM sees them, and the same bytes as stored.
      </p>
      <div className="mt-2 grid gap-3">
        <figure>
          <figcaption className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
            Plaintext (the VM’s view)
          </figcaption>
          <pre className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800" data-testid="plain-sector-bytes">
            {hexDump(plain, from, true)}
          </pre>
        </figure>
        <figure>
          <figcaption className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
            Stored ciphertext (what IndexedDB holds)
          </figcaption>
          <pre className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800" data-testid="raw-stored-bytes">
            {hexDump(cipher, from, true)}
          </pre>
        </figure>
      </div>
      <p className="mt-2 font-mono text-xs text-slate-700 dark:text-slate-300">
        nonce {hexDump(result.storedSector.subarray(0, NONCE), 0).slice(7)} · tag{' '}
        {hexDump(result.storedSector.subarray(result.storedSector.length - 16), 0).slice(7)}
      </p>
    </div>
  );
}

function Benchmark() {
  const [state, setState] = useState<BenchState>({ status: 'idle' });
  const [sizeMib, setSizeMib] = useState(64);
  const lastShown = useRef(0);

  useEffect(() => {
    window.keylabBench = { run: async (options) => (await loadBench()).runStorageBench(options) };
    return () => {
      delete window.keylabBench;
    };
  }, []);

  const run = useCallback(async () => {
    setState({ status: 'running', fraction: 0, phase: 'Starting' });
    lastShown.current = 0;
    try {
      const { runStorageBench } = await loadBench();
      const result = await runStorageBench({
        diskBytes: sizeMib * MIB,
        onProgress: (fraction, phase) => {
          // Every 64 KiB crypto call reports progress; repaint only on visible change.
          if (fraction - lastShown.current < 0.004 && fraction < 1) return;
          lastShown.current = fraction;
          setState({ status: 'running', fraction, phase });
        },
      });
      setState({ status: 'done', result });
    } catch (error) {
      setState({ status: 'error', message: messageOf(error) });
    }
  }, [sizeMib]);

  const running = state.status === 'running';
  return (
    <section aria-labelledby="bench-heading" className={sectionClass}>
      <h2 id="bench-heading" className="text-xl font-semibold">
        Benchmark
      </h2>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        Measures, on a test disk that is deleted afterwards, how fast this browser writes, reads and deep re-encrypts an
        encrypted disk, each beside its ceiling on the same record size: raw AES-GCM, raw IndexedDB, and a plain
        read-decrypt-encrypt-write loop. A 64 MiB disk takes half a minute on a quiet machine, longer on a busy one.
      </p>
      <div className="mt-4 flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-sm">
          <span className="font-medium">Test disk size</span>
          <select
            value={sizeMib}
            onChange={(event) => setSizeMib(Number(event.target.value))}
            disabled={running}
            className="mt-1 rounded border border-slate-400 bg-white px-2 py-1.5 dark:border-slate-500 dark:bg-slate-800"
          >
            {DISK_SIZES.map((size) => (
              <option key={size} value={size}>
                {size} MiB
              </option>
            ))}
          </select>
        </label>
        <Button variant="primary" onClick={() => void run()} disabledReason={running ? 'The benchmark is running.' : null}>
          Run benchmark
        </Button>
      </div>
      <div className="mt-4" aria-live="polite">
        {state.status === 'running' && (
          <ProgressBar label={`Measuring: ${state.phase}`} value={Math.round(state.fraction * 1000)} max={1000} />
        )}
        {state.status === 'error' && (
          <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
            The benchmark failed: {state.message}
          </p>
        )}
        {state.status === 'done' && <BenchFigures result={state.result} />}
      </div>
    </section>
  );
}

function BenchFigures({ result }: { result: BenchResult }) {
  return (
    <div>
      <table className="w-full border-collapse text-left text-sm" data-testid="bench-figures">
        <caption className="mb-2 text-left text-slate-700 dark:text-slate-300">
          {result.diskBytes / MIB} MiB disk, {result.extentSectors} sectors per stored record (
          {result.recordBytes.toLocaleString('en')} bytes), best of {result.rounds} rounds. MB/s = 10<sup>6</sup> bytes
          of disk data per second.
        </caption>
        <thead>
          <tr className="border-b border-slate-300 dark:border-slate-700">
            <th scope="col" className="py-1.5 pr-3 font-semibold">Measure</th>
            <th scope="col" className="py-1.5 pr-3 text-right font-semibold">Result</th>
            <th scope="col" className="py-1.5 pr-3 font-semibold">Compared with</th>
            <th scope="col" className="py-1.5 text-right font-semibold">Ratio</th>
          </tr>
        </thead>
        <tbody>
          {result.figures.map((figure) => (
            <tr key={figure.id} className="border-b border-slate-200 last:border-0 dark:border-slate-800">
              <th scope="row" className={`py-1.5 pr-3 ${figure.ceiling ? 'font-semibold' : 'font-normal text-slate-700 dark:text-slate-300'}`}>
                {figure.label}
              </th>
              <td className="whitespace-nowrap py-1.5 pr-3 text-right font-mono tabular-nums">
                {figure.value.toFixed(1)} {figure.unit}
              </td>
              <td className="py-1.5 pr-3 text-slate-700 dark:text-slate-300">{figure.ceiling?.label ?? '—'}</td>
              <td className="py-1.5 text-right font-mono tabular-nums">{figure.ceiling ? figure.ceiling.ratio.toFixed(2) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
        Figures vary with the machine and with what else it is doing; the ratios matter more than the speeds.
      </p>
    </div>
  );
}
