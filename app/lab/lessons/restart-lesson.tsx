'use client';
// "Restart lesson…": throws this lesson's lab and progress away and starts it from its first step, only after the
// learner confirms. The lesson panel and the lesson's error screen both offer it.
import type { ButtonVariant } from '../components/ui/button';
import { ConfirmButton } from '../components/ui/confirm-button';

export function RestartLesson(props: { onRestart: () => void; variant?: ButtonVariant; size?: 'sm' | 'md'; label?: string }) {
  const { onRestart, variant = 'ghost', size, label = 'Restart lesson…' } = props;
  return (
    <ConfirmButton
      label={label}
      variant={variant}
      size={size}
      title="Restart the lesson?"
      description="This lesson’s lab and your progress in it are thrown away, and the lesson starts again from its first step. The sandbox and other lessons are not touched."
      confirmLabel="Restart lesson"
      onConfirm={onRestart}
    >
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Backups you downloaded stay on your computer. Your best and last finished attempts at this lesson are kept.
      </p>
    </ConfirmButton>
  );
}
