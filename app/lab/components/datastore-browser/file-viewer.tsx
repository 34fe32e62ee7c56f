// Shows one datastore file as text, with the encryption fields marked and explained in one line each.
import type { LabView, VmView } from '@/machines/lab-types';
import { explainField, parseLines } from './vmx-fields';

export function FileViewer(props: { path: string; text: string; view: LabView; vm: VmView | undefined }) {
  const { path, text, view, vm } = props;
  const lines = parseLines(text);
  const marked = lines.filter((l) => l.field);
  const isConfig = /\.(vmx|vmdk)$/i.test(path);
  return (
    <div className="flex min-h-0 flex-col gap-2">
      {isConfig && (
        <p className="text-sm text-slate-700 dark:text-slate-200" data-testid="encryption-summary">
          {marked.length === 0
            ? 'No encryption fields: this file (and what it describes) is not encrypted.'
            : `${marked.length} encryption field${marked.length === 1 ? '' : 's'} highlighted below. None of them holds a usable key: only IDs and wrapped keys.`}
        </p>
      )}
      <div
        role="region"
        aria-label={`Contents of ${path}`}
        tabIndex={0}
        className="max-h-[26rem] overflow-auto rounded-md border border-slate-300 bg-white py-1 font-mono text-xs leading-5 text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-slate-600 dark:bg-slate-950 dark:text-slate-100"
      >
        {lines.map((line) =>
          line.field ? (
            <div
              key={line.number}
              data-field={line.field}
              className="my-1 border-l-4 border-amber-500 bg-amber-50 py-0.5 dark:border-amber-400 dark:bg-amber-950/60"
            >
              <div className="flex">
                <span aria-hidden="true" className="w-10 shrink-0 pr-2 text-right text-slate-500 select-none dark:text-slate-400">
                  {line.number}
                </span>
                <mark className="bg-transparent break-all whitespace-pre-wrap text-amber-950 dark:text-amber-50">
                  {line.text}
                </mark>
              </div>
              <p className="ml-10 font-sans text-[12px] leading-snug text-amber-950 dark:text-amber-100">
                <span className="font-semibold">{line.field}:</span> {explainField(line.field, line.value, view, vm)}
              </p>
            </div>
          ) : (
            <div key={line.number} className="flex">
              <span aria-hidden="true" className="w-10 shrink-0 pr-2 text-right text-slate-500 select-none dark:text-slate-400">
                {line.number}
              </span>
              <span className="break-all whitespace-pre-wrap">{line.text || '\u00a0'}</span>
            </div>
          ),
        )}
      </div>
    </div>
  );
}
