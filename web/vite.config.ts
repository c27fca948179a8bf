// Builds the browser pages that statusgraph serves itself: the status board (/) and the GraphiQL playground
// (GET /graphql from a browser). Everything they load is bundled here, so no page needs a network beyond its origin.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  // Monaco's workers (playground editor) are bundled as ES module workers next to the pages.
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // GraphiQL with Monaco is large by nature; it loads once per playground visit and is cached for good.
    chunkSizeWarningLimit: 6_000,
    rolldownOptions: {
      // GraphiQL's React Compiler output starts modules with "use no memo"; bundling drops the directive harmlessly.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        board: fileURLToPath(new URL('index.html', import.meta.url)),
        playground: fileURLToPath(new URL('playground.html', import.meta.url)),
      },
    },
  },
});
