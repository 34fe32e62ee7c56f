'use client';
// The backup handed to the learner (the doomsday lessons' "backup from last week", or the one "show me" made): the
// real .p12 to download, and its password.
import type { LessonHandout } from '@/machines/lessons/progress';
import { Button } from '../components/ui/button';
import { downloadBytes } from '../pages/providers/download';

export function Handout({ handout, note }: { handout: LessonHandout; note: string | undefined }) {
  return (
    <section aria-labelledby="handout-title" data-testid="handout" className="rounded border border-slate-300 bg-slate-50 p-2 dark:border-slate-600 dark:bg-slate-800">
      <h3 id="handout-title" className="text-sm font-semibold text-slate-900 dark:text-slate-100">
        {note ? 'The backup from last week' : `The backup of ${handout.providerName}`}
      </h3>
      {note ? <p className="mt-1 text-sm text-slate-800 dark:text-slate-200">{note}</p> : null}
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-sm">
        <dt className="text-slate-700 dark:text-slate-300">File</dt>
        <dd className="font-mono text-xs break-all text-slate-900 dark:text-slate-100">{handout.fileName}</dd>
        <dt className="text-slate-700 dark:text-slate-300">Password</dt>
        <dd className="font-mono text-xs break-all text-slate-900 dark:text-slate-100" data-testid="handout-password">
          {handout.passwordLost ? <span className="font-sans">Lost: nobody wrote it down</span> : handout.password || '(none)'}
        </dd>
      </dl>
      <div className="mt-2">
        <Button size="sm" onClick={() => downloadBytes(handout.bytes, handout.fileName)}>
          Download {handout.fileName.length > 28 ? 'the .p12' : handout.fileName}
        </Button>
      </div>
    </section>
  );
}
