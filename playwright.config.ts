import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './scripts/browser-path.mjs';

const port = Number(process.env.E2E_PORT ?? 3107);

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: { executablePath: chromiumExecutable() ?? undefined, args: chromiumArgs },
    viewport: { width: 1280, height: 720 },
    acceptDownloads: true,
  },
  webServer: {
    command: `node scripts/serve.mjs`,
    env: { PORT: String(port) },
    url: `http://localhost:${port}`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
