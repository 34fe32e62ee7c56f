'use client';
// Predict, then observe: the learner answers for each subject (VM or host) before the step, and once the step has
// passed sees the prediction beside what happened, with the reason for each.
import { useId, useState } from 'react';
import type { LessonBaseline, Prediction } from '@/lib/lessons/lesson-types';
import type { LabView } from '@/machines/lab-types';
import type { PredictionRecord } from '@/machines/lessons/progress';
import { Button } from '../components/ui/button';

export function PredictionForm(props: {
  predict: Prediction;
  view: LabView;
  baseline: LessonBaseline;
  onSubmit: (answers: Record<string, string>) => void;
}) {
  const { predict, view, baseline, onSubmit } = props;
  const subjects = predict.subjects(view, baseline);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const base = useId();
  const missing = subjects.filter((s) => !answers[s.id]).length;
  return (
    <form
      data-testid="prediction-form"
      className="rounded border border-blue-300 bg-blue-50 p-2 dark:border-sky-700 dark:bg-slate-800"
      onSubmit={(e) => {
        e.preventDefault();
        if (missing === 0) onSubmit(answers);
      }}
    >
      <p className="text-sm font-semibold text-slate-900 dark:text-slate-100">Predict first</p>
      <p className="mb-2 text-sm text-slate-800 dark:text-slate-200">{predict.question}</p>
      {subjects.map((subject) => (
        <fieldset key={subject.id} className="mb-2">
          <legend className="text-sm font-medium text-slate-900 dark:text-slate-100">{subject.label}</legend>
          <div className="flex flex-wrap gap-x-3 gap-y-1">
            {predict.choices.map((choice) => (
              <label key={choice.id} className="flex items-center gap-1 text-sm text-slate-800 dark:text-slate-200">
                <input
                  type="radio"
                  name={`${base}-${subject.id}`}
                  value={choice.id}
                  checked={answers[subject.id] === choice.id}
                  onChange={() => setAnswers((a) => ({ ...a, [subject.id]: choice.id }))}
                />
                {choice.label}
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <Button size="sm" variant="primary" type="submit" disabledReason={missing > 0 ? `Choose an answer for ${missing} more.` : null}>
        Record my prediction
      </Button>
    </form>
  );
}

const VERDICT = {
  right: { icon: '✓', text: 'as you predicted', className: 'text-green-800 dark:text-green-300' },
  wrong: { icon: '✗', text: 'not as you predicted', className: 'text-red-800 dark:text-red-300' },
  open: { icon: '–', text: 'not predicted', className: 'text-slate-600 dark:text-slate-400' },
} as const;

export function PredictionResult({ predict, record }: { predict: Prediction; record: PredictionRecord }) {
  const label = (id: string | undefined) => predict.choices.find((c) => c.id === id)?.label ?? 'unknown';
  if (!record.observed) {
    return (
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="prediction-recorded">
        Prediction recorded. Now do the step and compare.
      </p>
    );
  }
  const answered = record.subjects.filter((s) => record.answers[s.id] !== undefined);
  const right = answered.filter((s) => record.answers[s.id] === record.observed![s.id]?.choice).length;
  return (
    <div data-testid="prediction-result">
      <p className="text-sm font-semibold text-slate-900 dark:text-slate-100">
        {answered.length === 0
          ? 'No prediction made: here is what happened'
          : `Your prediction: ${right} of ${answered.length} right${answered.length < record.subjects.length ? ` (${record.subjects.length - answered.length} not answered)` : ''}`}
      </p>
      <ul className="mt-1 flex flex-col gap-1">
        {record.subjects.map((s) => {
          const seen = record.observed![s.id];
          const predicted = record.answers[s.id];
          const verdict = predicted === undefined ? 'open' : predicted === seen?.choice ? 'right' : 'wrong';
          return (
            <li key={s.id} className="rounded border border-slate-300 p-1.5 text-sm dark:border-slate-600" data-verdict={verdict}>
              <p className="font-medium text-slate-900 dark:text-slate-100">
                <span aria-hidden="true" className={VERDICT[verdict].className}>
                  {VERDICT[verdict].icon}{' '}
                </span>
                {s.label}
                <span className="sr-only">: {VERDICT[verdict].text}</span>
              </p>
              <p className="text-slate-800 dark:text-slate-200">
                {predicted === undefined ? 'You made no prediction. ' : <>You predicted: “{label(predicted)}”. </>}
                What happened: “{label(seen?.choice)}”.
              </p>
              <p className="text-slate-700 dark:text-slate-300">{seen?.reason}</p>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
