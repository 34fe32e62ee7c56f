// Stops the browser tests early, with the fix, when no Chromium can be found.
import { chromiumExecutable } from './browser-path.mjs';

if (chromiumExecutable() === null) {
  console.error(
    'keylab: no Chromium for the browser tests.\n' +
      '  On Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium\n' +
      '  Or point CHROMIUM_PATH at a Chromium or Chrome binary, or run `npx playwright install chromium`.',
  );
  process.exit(1);
}
