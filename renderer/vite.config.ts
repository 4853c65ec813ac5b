/**
 * The renderer's build, shared by `vite` (development against web mode) and the renderer block of
 * electron.vite.config.ts, so the two cannot drift. Monaco is bundled from its ESM build with its
 * workers as `?worker` chunks: the app is offline and its CSP allows only 'self' scripts.
 */
import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';

const rendererDir = decodeURIComponent(new URL('.', import.meta.url).pathname);

/**
 * Scripts only from our own origin, workers from our own origin (Vite emits them as files),
 * WebSocket back to the server that served the page. Styles need 'unsafe-inline' because Monaco
 * injects its per-editor styles at runtime. Applied to builds only: the dev server needs an inline
 * React Refresh preamble.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'isolab-csp',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`),
  };
}

export const rendererConfig: UserConfig = {
  root: rendererDir,
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  // Examples live in resources/ at the repository root.
  server: { fs: { allow: [rendererDir + '..'] } },
  worker: { format: 'es' },
  build: {
    outDir: rendererDir + '../out/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    chunkSizeWarningLimit: 8000,
  },
};

export default rendererConfig;
