// Tiny glyphs for a key's form: a key (plain), a padlock (wrapped), a hash (ID only). Decorative: text says the same.
import type { KeyForm } from './key-map-model';

export function FormIcon({ form, className = 'h-3.5 w-3.5' }: { form: KeyForm; className?: string }) {
  const common = {
    className,
    viewBox: '0 0 16 16',
    fill: 'none',
    stroke: 'currentColor',
    strokeWidth: 1.6,
    strokeLinecap: 'round' as const,
    strokeLinejoin: 'round' as const,
    'aria-hidden': true,
    focusable: false,
  };
  switch (form) {
    case 'plain':
      return (
        <svg {...common}>
          <circle cx="5" cy="8" r="3" />
          <path d="M8 8h7M12.5 8v2.5M14.5 8v2" />
        </svg>
      );
    case 'wrapped':
      return (
        <svg {...common}>
          <rect x="3" y="7" width="10" height="7" rx="1.5" />
          <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />
        </svg>
      );
    case 'key-id':
      return (
        <svg {...common}>
          <path d="M6 2.5 4.5 13.5M11.5 2.5 10 13.5M2.5 6h11M2 10.5h11" />
        </svg>
      );
  }
}
