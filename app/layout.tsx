import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = {
  title: 'keylab — vSphere encryption lab',
  description: 'Practise vSphere VM encryption, Native Key Provider and KMS recovery with real keys in your browser.',
  // Inline, so the static export needs no icon file and the browser asks no server for /favicon.ico.
  icons: {
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%231e293b'/%3E%3Ccircle cx='6' cy='8' r='2.5' fill='none' stroke='%23fbbf24' stroke-width='1.5'/%3E%3Cpath d='M8.5 8h5M11.5 8v2.5' stroke='%23fbbf24' stroke-width='1.5'/%3E%3C/svg%3E",
  },
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
