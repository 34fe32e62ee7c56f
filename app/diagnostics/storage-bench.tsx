'use client';
// The browser check's storage benchmark: runs lib/storage/bench on a throwaway disk with a progress bar, and offers
// window.keylabBench to scripts/bench.mjs. The benchmark's code loads only in the browser, on first use.
import { errorMessage } from '@/lib/error-message';
import { MIB } from '@/lib/units';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from '@/app/lab/components/ui/button';
import { ProgressBar } from '@/app/lab/components/ui/progress-bar';
import type { BenchOptions, BenchResult, RekeyProbeOptions, RekeyProbeResult } from '@/lib/storage/bench';
import { BenchFigures } from './bench-figures';
import { sectionClass } from './diagnostics-ui';

declare global {
  interface Window {
    /** For scripts/bench.mjs: runs the storage benchmark in this page. */
    keylabBench?: {
      run(options?: BenchOptions): Promise<BenchResult>;
      /** A deep re-key of a large disk, in the disk workers or (onPage) on this thread, for the click probe. */
      rekeyProbe(options?: RekeyProbeOptions): Promise<RekeyProbeResult>;
    };
  }
}

// The disk workers start with it, as they do in the lab: the benchmark measures the disk as the lab runs it.
const loadBench = async () => {
  const [bench, { startDiskWorkers }] = await Promise.all([import('@/lib/storage/bench'), import('@/lib/storage/disk-worker/browser')]);
  startDiskWorkers();
  return bench;
};

type BenchState =
  | { status: 'idle' }
  | { status: 'running'; fraction: number; phase: string }
  | { status: 'done'; result: BenchResult }
  | { status: 'error'; message: string };

// 4 MiB is a quick look (its figures are noisier); 64 MiB is the size scripts/bench.mjs reports.
const DISK_SIZES = [4, 16, 64, 256];

export function StorageBench() {
  const [state, setState] = useState<BenchState>({ status: 'idle' });
  const [sizeMib, setSizeMib] = useState(64);
  const lastShown = useRef(0);

  useEffect(() => {
    window.keylabBench = {
      run: async (options) => (await loadBench()).runStorageBench(options),
      rekeyProbe: async (options) => (await loadBench()).runRekeyProbe(options),
    };
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
      setState({ status: 'error', message: errorMessage(error) });
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
