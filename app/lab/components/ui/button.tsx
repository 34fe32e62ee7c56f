'use client';
// The lab's one button: three variants, and a disabled state that always says why (no dead buttons).
import { useId, type ButtonHTMLAttributes, type ReactNode } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'disabled'> {
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  /** When set, the button is disabled and this text is shown beside it, as its tooltip and as its description. */
  disabledReason?: string | null;
  /** Hide the visible reason (it stays the tooltip and the accessible description); for tight toolbars. */
  reasonHidden?: boolean;
  children: ReactNode;
}

const variants: Record<ButtonVariant, string> = {
  primary:
    'border-blue-700 bg-blue-700 text-white hover:bg-blue-800 dark:border-blue-600 dark:bg-blue-600 dark:hover:bg-blue-700',
  secondary:
    'border-slate-400 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700',
  danger: 'border-red-700 bg-red-700 text-white hover:bg-red-800 dark:border-red-600 dark:bg-red-700 dark:hover:bg-red-800',
  ghost:
    'border-transparent bg-transparent text-slate-800 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800',
};

const disabledLook =
  'cursor-not-allowed border-slate-300 bg-slate-100 text-slate-600 hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-400 dark:hover:bg-slate-800';

export function buttonClass(variant: ButtonVariant = 'secondary', size: 'sm' | 'md' = 'md', disabled = false): string {
  const sizing = size === 'sm' ? 'px-2 py-1 text-xs' : 'px-3 py-1.5 text-sm';
  return [
    'inline-flex items-center justify-center gap-1.5 rounded border font-medium transition-colors',
    sizing,
    disabled ? disabledLook : variants[variant],
  ].join(' ');
}

export function Button({
  variant = 'secondary',
  size = 'md',
  disabledReason,
  reasonHidden = false,
  className,
  onClick,
  type = 'button',
  children,
  ...rest
}: ButtonProps) {
  const reasonId = useId();
  const disabled = Boolean(disabledReason);
  // aria-disabled (not the disabled attribute) keeps the button focusable, so a keyboard user can reach the reason.
  const button = (
    <button
      {...rest}
      type={type}
      aria-disabled={disabled || undefined}
      aria-describedby={disabled ? [reasonId, rest['aria-describedby']].filter(Boolean).join(' ') : rest['aria-describedby']}
      title={disabled ? (disabledReason ?? undefined) : rest.title}
      className={[buttonClass(variant, size, disabled), className].filter(Boolean).join(' ')}
      onClick={(e) => {
        if (disabled) {
          e.preventDefault();
          return;
        }
        onClick?.(e);
      }}
    >
      {children}
    </button>
  );
  if (!disabled) return button;
  return (
    <span className="inline-flex max-w-xs flex-col items-start gap-0.5 align-top">
      {button}
      <span id={reasonId} className={reasonHidden ? 'sr-only' : 'text-xs leading-snug text-slate-600 dark:text-slate-400'}>
        {disabledReason}
      </span>
    </span>
  );
}
