// The storage benchmark's figures as a table: each measure, its ceiling and the ratio between them.
import { MIB } from '@/lib/units';
import type { BenchResult } from '@/lib/storage/bench';

export function BenchFigures({ result }: { result: BenchResult }) {
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
