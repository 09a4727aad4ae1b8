/** Vite build of the staff console: sources in src/web, output in dist/web (served by the Tocsin server at /). */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  // Vitest also reads this file when no vitest.config.ts exists; tests live under the repo root, not src/web.
  root: process.env.VITEST ? repoRoot : fileURLToPath(new URL('./src/web', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    // No source maps in the production build (they would publish the console's sources); the dev
    // server (`npm run dev:web`) serves its own for debugging.
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Libraries change less often than the console: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            {
              name: 'mantine',
              test: /node_modules[\\/](@mantine[\\/](core|hooks)|@floating-ui|react-remove-scroll|react-number-format|react-textarea-autosize)/,
            },
            // The charts (recharts and what it brings) load with the page that draws one, not at start.
            {
              name: 'charts',
              test: /node_modules[\\/](@mantine[\\/]charts|recharts|victory-vendor|d3-|@reduxjs|react-redux|immer|reselect|es-toolkit|decimal\.js-light|eventemitter3|internmap)/,
            },
            // Cytoscape loads with the entity graph's page only.
            { name: 'graph', test: /node_modules[\\/]cytoscape[\\/]/ },
            // ECharts (and its renderer zrender) loads with the risk and training pages' charts only (issue 16).
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      // The Tocsin server (`npm start`); another address with TOCSIN_API_URL=http://host:port npx vite
      '/api': { target: process.env.TOCSIN_API_URL ?? 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
