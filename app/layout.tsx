import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = {
  title: 'keylab — vSphere encryption lab',
  description: 'Practise vSphere VM encryption, Native Key Provider and KMS recovery with real keys in your browser.',
};

// Runs before the first paint so a dark-theme learner never sees a white flash: the remembered choice, else the OS's.
const themeScript = `(function(){try{var t=localStorage.getItem('keylab-theme');var d=t?t==='dark':window.matchMedia('(prefers-color-scheme: dark)').matches;if(d)document.documentElement.classList.add('dark');}catch(e){}})();`;

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // The theme script changes <html>'s class before React hydrates; that difference is expected.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        {children}
      </body>
    </html>
  );
}
