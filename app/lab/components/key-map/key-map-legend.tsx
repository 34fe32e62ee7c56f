// The legend: what the colours (key level) and borders (form the key is kept in) mean.
import { FORM_LABEL, LEVEL_LABEL, type KeyForm, type KeyLevel } from './key-map-model';
import { FormIcon } from './key-icons';
import { LEVEL_LOOK, formClasses } from './key-style';

const LEVELS: KeyLevel[] = ['KDK', 'KEK', 'DEK'];
const FORMS: { form: KeyForm; explain: string }[] = [
  { form: 'plain', explain: 'the key itself, usable' },
  { form: 'wrapped', explain: 'encrypted by the key above it' },
  { form: 'key-id', explain: 'only its ID, no key material' },
];

export function KeyMapLegend() {
  return (
    <div className="flex flex-wrap items-start gap-x-6 gap-y-2 text-xs text-slate-800 dark:text-slate-200">
      <dl className="flex flex-wrap items-center gap-x-3 gap-y-1" aria-label="Key levels">
        {LEVELS.map((level) => (
          <div key={level} className="flex items-center gap-1">
            <dt className={`rounded px-1 text-[10px] font-bold ${LEVEL_LOOK[level].tag}`}>{level}</dt>
            <dd>{LEVEL_LABEL[level]}</dd>
          </div>
        ))}
      </dl>
      <dl className="flex flex-wrap items-center gap-x-3 gap-y-1" aria-label="Forms a key is kept in">
        {FORMS.map(({ form, explain }) => (
          <div key={form} className="flex items-center gap-1">
            <dt
              className={`flex items-center gap-1 rounded px-1.5 py-0.5 ${LEVEL_LOOK.KEK.text} ${formClasses('KEK', form)}`}
            >
              <FormIcon form={form} className="h-3 w-3" />
              {FORM_LABEL[form]}
            </dt>
            <dd>{explain}</dd>
          </div>
        ))}
      </dl>
      <p>DEK wrapped by KEK; an NKP KEK derived from its KDK and key ID (stored nowhere): nesting on the left shows who wraps or derives whom.</p>
    </div>
  );
}
