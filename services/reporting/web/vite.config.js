// Builds the dashboard into the directory pmo-reporting serves: PMO_WEB_OUT_DIR (./pmo
// build sets "$BUILD/web/reporting"), or the repository's build/web/reporting.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  // Relative asset URLs: the page works wherever it is mounted.
  base: './',
  build: {
    outDir: process.env.PMO_WEB_OUT_DIR || resolve(here, '../../../build/web/reporting'),
    emptyOutDir: true,
    sourcemap: true,
    // Everything is bundled; nothing is fetched from the internet at run time.
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev` against a local pmo-reporting (./pmo up serves HTTP on 8080).
    proxy: { '/api': process.env.PMO_API || 'http://127.0.0.1:8080' },
  },
});
