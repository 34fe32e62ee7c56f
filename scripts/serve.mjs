// `npm start` / `npm run serve`: serves the static export in out/ on http://localhost:$PORT (default 3000).
import { join } from 'node:path';
import { serveStatic } from './static-server.mjs';

const port = Number(process.env.PORT ?? 3000);
serveStatic(join(process.cwd(), 'out'), port).then(
  () => console.log(`keylab is running at http://localhost:${port}`),
  (error) => {
    console.error(`keylab could not listen on port ${port}: ${error.message}`);
    process.exit(1);
  },
);
