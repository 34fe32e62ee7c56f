// What the storage benchmark reports: its figures, each beside the ceiling it is compared with, and their one-line
// form. The options and result types live here too, so the diagnostics page can import them without the benchmark.
import type { LongTaskFigure } from './long-tasks';

export interface BenchOptions {
  /** Size of the test disk; 64 MiB by default. */
  diskBytes?: number;
  /** Sectors per extent record; the storage layer's default unless given (to compare record sizes). */
  extentSectors?: number;
  /** Bytes per read()/write() call and per raw transaction, rounded down to whole extents; about 4 MiB by default. */
  chunkBytes?: number;
  /** How many read()/write() calls are kept in flight, as a guest OS keeps several I/Os queued. */
  queueDepth?: number;
  /** How many times each phase runs; the best counts. 3 by default. */
  rounds?: number;
  /** Overall progress from 0 to 1, with the phase running. */
  onProgress?(fraction: number, phase: string): void;
}

export type BenchUnit = 'MB/s' | 'ms';

export interface BenchFigure {
  id: string;
  label: string;
  value: number;
  /** 'MB/s': megabytes (10^6 bytes) of disk data per second, higher is better; 'ms': time per operation. */
  unit: BenchUnit;
  /** The ceiling this figure is compared with, if any. */
  ceiling?: { id: string; label: string; value: number; ratio: number };
}

export interface BenchResult {
  /** Where the disk's own work ran: 'this thread' or e.g. '1 disk worker' (the ceilings run on the page's thread). */
  where: string;
  diskBytes: number;
  extentSectors: number;
  /** Bytes of one stored (sealed) extent record. */
  recordBytes: number;
  chunkBytes: number;
  queueDepth: number;
  rounds: number;
  figures: BenchFigure[];
  /** The page's long tasks by the phase they fell in (none where the browser does not report them). */
  longTasks: LongTaskFigure[];
  /** One line per figure, then one per phase that had long tasks, e.g. "deep re-encryption: 81.2 MB/s, ratio 0.83 of ceiling 97.8 MB/s". */
  lines: string[];
}

export const SMALL_WRITES = 40;
export const SMALL_WRITE_BYTES = 200;

interface Definition {
  id: string;
  label: string;
  unit: BenchUnit;
  ceiling?: string;
}

/** The figures in the order they are reported; a ceiling is always defined before the figure that names it. */
const DEFINITIONS: Definition[] = [
  { id: 'aes', label: 'raw AES-GCM (64 KiB calls)', unit: 'MB/s' },
  { id: 'sector-cipher', label: 'sector cipher (4 KiB sectors)', unit: 'MB/s', ceiling: 'aes' },
  { id: 'idb-write', label: 'raw IndexedDB write', unit: 'MB/s' },
  { id: 'write', label: 'encrypted write', unit: 'MB/s', ceiling: 'idb-write' },
  { id: 'idb-read', label: 'raw IndexedDB read', unit: 'MB/s' },
  { id: 'read', label: 'encrypted read', unit: 'MB/s', ceiling: 'idb-read' },
  { id: 'small-write', label: `small guest write (${SMALL_WRITE_BYTES} B at a random offset)`, unit: 'ms' },
  { id: 'loop-whole', label: 'plain read-decrypt-encrypt-write loop (one AES-GCM call per record)', unit: 'MB/s' },
  { id: 'loop-sectors', label: 'plain read-decrypt-encrypt-write loop (sector by sector, the disk format)', unit: 'MB/s' },
  { id: 'reencrypt', label: 'deep re-encryption', unit: 'MB/s', ceiling: 'loop-whole' },
  { id: 'reencrypt-format', label: 'deep re-encryption', unit: 'MB/s', ceiling: 'loop-sectors' },
];

/** The best value of each figure over the rounds: the least disturbed round counts. */
export class BestOfRounds {
  private readonly best = new Map<string, number>();

  keep(id: string, value: number, unit: BenchUnit): void {
    const previous = this.best.get(id);
    if (previous === undefined || (unit === 'ms' ? value < previous : value > previous)) this.best.set(id, value);
  }

  /** Every defined figure with its ceiling's ratio; deep re-encryption is reported against both loops. */
  figures(): BenchFigure[] {
    const best = new Map(this.best);
    best.set('reencrypt-format', best.get('reencrypt')!);
    const figures: BenchFigure[] = [];
    for (const def of DEFINITIONS) {
      const value = best.get(def.id)!;
      const ceiling = def.ceiling ? figures.find((f) => f.id === def.ceiling) : undefined;
      figures.push({
        id: def.id,
        label: def.label,
        value,
        unit: def.unit,
        ceiling: ceiling && { id: ceiling.id, label: ceiling.label, value: ceiling.value, ratio: value / ceiling.value },
      });
    }
    return figures;
  }
}

export function formatFigure(figure: BenchFigure): string {
  const own = `${figure.label}: ${figure.value.toFixed(1)} ${figure.unit}`;
  if (!figure.ceiling) return own;
  return `${own}, ratio ${figure.ceiling.ratio.toFixed(2)} of ${figure.ceiling.label} ${figure.ceiling.value.toFixed(1)} ${figure.unit}`;
}
