'use client';
// The browser check's datacenter benchmark: 20 hosts and 500 encrypted VMs built in a throwaway database, every VM
// shallow re-keyed, the lab saved and restored, each step timed. Also window.keylabDatacenterBench for scripts/bench.mjs.
import { errorMessage } from '@/lib/error-message';
import { useCallback, useEffect, useState } from 'react';
import { Button } from '@/app/lab/components/ui/button';
import { sectionClass } from './diagnostics-ui';

export interface DatacenterBenchFigures {
  buildMs: number;
  shallowRekeyAllMs: number;
  restoreMs: number;
  hosts: number;
  vms: number;
  /** What the run reported as it went. */
  lines: string[];
}

declare global {
  interface Window {
    /** For scripts/bench.mjs: runs the datacenter benchmark in this page. */
    keylabDatacenterBench?: { run(): Promise<DatacenterBenchFigures> };
  }
}

/** Its own database, so the benchmark never touches a learner's saved lab; deleted before and after. */
const BENCH_DB = 'keylab-bench-datacenter';
const GOAL_MS = 2000;

async function runInPage(onLine?: (line: string) => void): Promise<DatacenterBenchFigures> {
  // Loaded on first use only: the machines and Dexie stay out of the page's first load.
  const [{ runDatacenterBench }, { deleteKeylabDb, openKeylabDb }, { startDiskWorkers }] = await Promise.all([
    import('@/machines/session/bench-datacenter'),
    import('@/lib/storage/db'),
    import('@/lib/storage/disk-worker/browser'),
  ]);
  // As in the lab: the disks' crypto runs in the disk workers.
  startDiskWorkers();
  await deleteKeylabDb(BENCH_DB);
  const db = openKeylabDb(BENCH_DB);
  const lines: string[] = [];
  try {
    const result = await runDatacenterBench(db, (line) => {
      lines.push(line);
      onLine?.(line);
    });
    return {
      buildMs: result.buildMs,
      shallowRekeyAllMs: result.shallowRekeyAllMs,
      restoreMs: result.restoreMs,
      hosts: result.hosts,
      vms: result.vms,
      lines,
    };
  } finally {
    db.close();
    await deleteKeylabDb(BENCH_DB);
  }
}

type State =
  | { status: 'idle' }
  | { status: 'running'; lines: string[] }
  | { status: 'done'; figures: DatacenterBenchFigures }
  | { status: 'error'; message: string };

export function DatacenterBench() {
  const [state, setState] = useState<State>({ status: 'idle' });

  useEffect(() => {
    window.keylabDatacenterBench = { run: () => runInPage() };
    return () => {
      delete window.keylabDatacenterBench;
    };
  }, []);

  const run = useCallback(async () => {
    setState({ status: 'running', lines: [] });
    try {
      const figures = await runInPage((line) =>
        setState((prev) => (prev.status === 'running' ? { status: 'running', lines: [...prev.lines, line] } : prev)),
      );
      setState({ status: 'done', figures });
    } catch (error) {
      setState({ status: 'error', message: errorMessage(error) });
    }
  }, []);

  const running = state.status === 'running';
  return (
    <section aria-labelledby="datacenter-bench-heading" className={sectionClass}>
      <h2 id="datacenter-bench-heading" className="text-xl font-semibold">
        Datacenter benchmark
      </h2>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        Builds a simulated datacenter of 20 hosts and 500 encrypted VMs (real keys, small disks) in a database of its
        own, shallow re-keys every VM, then saves the lab and restores it, and times each step. The goal is under{' '}
        {GOAL_MS / 1000} seconds each. The test datacenter is deleted afterwards.
      </p>
      <div className="mt-4">
        <Button variant="primary" onClick={() => void run()} disabledReason={running ? 'The datacenter benchmark is running.' : null}>
          Run datacenter benchmark
        </Button>
      </div>
      <div className="mt-4 text-sm" aria-live="polite">
        {state.status === 'running' && (
          <div>
            <p>Running…</p>
            {state.lines.length > 0 && (
              <pre className="mt-2 max-h-40 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800">
                {state.lines.join('\n')}
              </pre>
            )}
          </div>
        )}
        {state.status === 'error' && (
          <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
            The datacenter benchmark failed: {state.message}
          </p>
        )}
        {state.status === 'done' && <Figures figures={state.figures} />}
      </div>
    </section>
  );
}

function Figures({ figures }: { figures: DatacenterBenchFigures }) {
  const rows: [string, number][] = [
    ['Build the datacenter', figures.buildMs],
    ['Shallow re-key of every VM', figures.shallowRekeyAllMs],
    ['Restore the saved lab', figures.restoreMs],
  ];
  return (
    <table className="w-full border-collapse text-left" data-testid="datacenter-figures">
      <caption className="mb-2 text-left text-slate-700 dark:text-slate-300">
        {figures.hosts} hosts, {figures.vms} encrypted VMs.
      </caption>
      <thead>
        <tr className="border-b border-slate-300 dark:border-slate-700">
          <th scope="col" className="py-1.5 pr-3 font-semibold">Step</th>
          <th scope="col" className="py-1.5 pr-3 text-right font-semibold">Time</th>
          <th scope="col" className="py-1.5 font-semibold">Goal: under {GOAL_MS / 1000} s</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, ms]) => (
          <tr key={label} className="border-b border-slate-200 last:border-0 dark:border-slate-800">
            <th scope="row" className="py-1.5 pr-3 font-normal">{label}</th>
            <td className="whitespace-nowrap py-1.5 pr-3 text-right font-mono tabular-nums">{(ms / 1000).toFixed(2)} s</td>
            <td className={`py-1.5 ${ms < GOAL_MS ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}>
              {ms < GOAL_MS ? 'met' : 'not met'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
