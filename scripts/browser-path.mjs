// Finds the Chromium that Playwright should drive: CHROMIUM_PATH, then Debian's /usr/bin/chromium,
// then Playwright's own download (undefined lets Playwright use it).
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export function chromiumExecutable() {
  const wanted = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(wanted)) return wanted;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch { /* Playwright has no browser of its own either */ }
  return null;
}

// Flags that keep headless Chromium quiet on a closed network.
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
