// Runs the storage benchmark: every phase `rounds` times, interleaved, the best round counting (on a small shared
// machine the speed of WebCrypto and IndexedDB drifts by a third from one second to the next, and the best round is
// the least disturbed), then checks the disk still reads back and leaves no database behind.
import { diskWorkerPort } from '../disk-worker/port';
import { openDisk } from '../virtual-disk';
import { BestOfRounds, SMALL_WRITE_BYTES, formatFigure, type BenchOptions, type BenchResult } from './figures';
import { LongTaskRecorder } from './long-tasks';
import { PHASES, type Round } from './phases';
import { BENCH_DISK, benchSizes, buildRig, closeRig, type BenchRig } from './rig';

export async function runStorageBench(options: BenchOptions = {}): Promise<BenchResult> {
  const sizes = benchSizes(options);
  const totalSteps = PHASES.length * sizes.rounds + 1;
  let step = 0;
  const progress = (phase: string, fraction: number) =>
    options.onProgress?.(Math.min(1, (step + Math.min(1, Math.max(0, fraction))) / totalSteps), phase);
  const best = new BestOfRounds();

  const rig = await buildRig(sizes);
  const longTasks = new LongTaskRecorder();
  try {
    step += 1;
    const random = seeded(7);
    let diskKey: 0 | 1 = 0;
    let smallWrites: number[] = [];
    for (let round = 0; round < sizes.rounds; round++) {
      const state: Round = { disk: await openDisk(rig.bench, BENCH_DISK, rig.keys[diskKey]), diskKey, smallWrites, random };
      for (const phase of PHASES) {
        progress(phase.name, 0);
        const start = performance.now();
        await phase.run(rig, state, (fraction) => progress(phase.name, fraction));
        const end = performance.now();
        longTasks.phase(phase.name, start, end);
        const seconds = (end - start) / 1000;
        step += 1;
        progress(phase.name, 0);
        best.keep(phase.id, phase.unit === 'ms' ? (seconds * 1000) / (phase.operations ?? 1) : sizes.mb / seconds, phase.unit);
      }
      ({ diskKey, smallWrites } = state);
    }
    await checkReadsBack(rig, diskKey, smallWrites);
  } finally {
    await closeRig(rig);
  }
  options.onProgress?.(1, 'done');

  const figures = best.figures();
  const { diskBytes, extentSectors, recordBytes, chunkBytes, queueDepth, rounds } = sizes;
  const where = diskWorkerPort().where;
  const stalls = await longTasks.figures();
  const lines = [
    ...figures.map(formatFigure),
    ...stalls.map(
      (f) => `main-thread long tasks during ${f.phase}: ${f.count}, ${(f.totalMs / 1000).toFixed(2)} s in all, worst ${f.worstMs.toFixed(0)} ms`,
    ),
  ];
  return { where, diskBytes, extentSectors, recordBytes, chunkBytes, queueDepth, rounds, figures, longTasks: stalls, lines };
}

/** The disk must still read back under its final key: a benchmark of a broken re-encryption is worthless. */
async function checkReadsBack(rig: BenchRig, diskKey: 0 | 1, smallWrites: number[]): Promise<void> {
  const check = await openDisk(rig.bench, BENCH_DISK, rig.keys[diskKey]);
  const sampleBytes = Math.min(rig.chunkBytes, rig.diskBytes);
  const expected = rig.plaintext.slice(0, sampleBytes);
  for (const offset of smallWrites) {
    if (offset < sampleBytes) expected.set(rig.plaintext.subarray(0, Math.min(SMALL_WRITE_BYTES, sampleBytes - offset)), offset);
  }
  const sample = await check.read(0, sampleBytes);
  if (!sample.every((byte, i) => byte === expected[i])) {
    throw new Error('The re-encrypted benchmark disk did not read back.');
  }
}

/** Reproducible offsets, so every round writes the same places. */
function seeded(seed: number): (below: number) => number {
  let x = seed;
  return (below) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % below;
  };
}
