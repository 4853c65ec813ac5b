/**
 * Builds the desktop app into out/: main (ESM, since package.json says "type": "module"),
 * preload (one CommonJS file with its dependencies bundled in, because a sandboxed preload can
 * neither load ESM nor require anything but 'electron'), and the renderer.
 *
 * The renderer block is owned by the renderer work and lives in renderer/vite.config.ts, which
 * plain `vite` also uses; this file only points electron-vite at it.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer/vite.config.ts';

const root = import.meta.dirname;
// Packaging tests build into a private folder so they never race another build of out/.
const out = process.env.ISOLAB_BUILD_OUT ?? resolve(root, 'out');

export default defineConfig({
  main: {
    build: {
      outDir: resolve(out, 'main'),
      // Dependencies bundled in: the packaged app.asar carries no node_modules of its own.
      externalizeDeps: false,
      lib: { entry: resolve(root, 'electron/main/index.ts') },
    },
  },
  preload: {
    build: {
      outDir: resolve(out, 'preload'),
      externalizeDeps: false,
      lib: { entry: resolve(root, 'electron/preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: { output: { entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      outDir: resolve(out, 'renderer'),
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
