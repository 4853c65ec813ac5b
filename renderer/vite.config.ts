/**
 * The renderer's build, shared by `vite` (development against web mode) and the renderer block of
 * electron.vite.config.ts, so the two cannot drift. Monaco is bundled from its ESM build with its
 * workers as `?worker` chunks: the app is offline and its CSP allows only 'self' scripts.
 */
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

const rendererDir = decodeURIComponent(new URL('.', import.meta.url).pathname);

export const rendererConfig: UserConfig = {
  root: rendererDir,
  base: './',
  // The Content-Security-Policy comes with the responses (engine/app/csp.ts, shared with Electron).
  plugins: [react()],
  // Examples live in resources/ at the repository root.
  server: { fs: { allow: [rendererDir + '..'] } },
  worker: { format: 'es' },
  build: {
    outDir: rendererDir + '../out/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    // electron-vite leaves renderer bundles unminified unless told; Monaco halves when minified,
    // and parse time is most of the time to an editable editor.
    minify: true,
    chunkSizeWarningLimit: 8000,
  },
};

export default rendererConfig;
