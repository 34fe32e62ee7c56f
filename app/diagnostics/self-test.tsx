'use client';
// The browser check's self-test: writes a text to an encrypted test disk and reads it back after a reload, so the
// learner sees the disk, not memory, kept it. The storage code loads only in the browser, on first use.
import { errorMessage } from '@/lib/error-message';
import { useCallback, useEffect, useState } from 'react';
import { Button } from '@/app/lab/components/ui/button';
import type { SelfTestReadBack, SelfTestWritten } from '@/lib/storage/self-test';
import { formatTime, sectionClass } from './diagnostics-ui';
import { ReadBack } from './read-back';

const loadSelfTest = () => import('@/lib/storage/self-test');

type SelfTestState =
  | { status: 'checking' }
  | { status: 'empty' }
  | { status: 'stored'; createdAt: number }
  | { status: 'busy'; action: 'write' | 'read' }
  | { status: 'written'; written: SelfTestWritten }
  | { status: 'readBack'; result: SelfTestReadBack }
  | { status: 'error'; message: string; stored: boolean };

export function SelfTest() {
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
    })().catch((error: unknown) => !cancelled && setState({ status: 'error', message: errorMessage(error), stored: false }));
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
      setState({ status: 'error', message: errorMessage(error), stored: action === 'read' });
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

