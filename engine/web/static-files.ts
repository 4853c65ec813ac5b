/**
 * Serves the built renderer (out/renderer) read-only over HTTP. Which file a path names, if any, is
 * decided by engine/app/safe-files.ts (the same rule as Electron's app:// protocol); anything it
 * refuses is 404.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mimeType, resolveSafeFile } from '../app/safe-files.ts';
import { SECURITY_HEADERS } from './http-util.ts';

export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, csp: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const found = await resolveSafeFile(root, url.pathname);
  if (!found) {
    res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found');
    return;
  }
  const isHtml = found.path.endsWith('.html');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': mimeType(found.path),
    'Content-Length': found.sizeBytes,
    // Vite fingerprints everything under assets/; index.html must be re-read after a rebuild.
    'Cache-Control': isHtml || !url.pathname.startsWith('/assets/') ? 'no-cache' : 'public, max-age=31536000, immutable',
    // Workers take their policy from their own script's response, so every file carries it.
    'Content-Security-Policy': csp,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(found.path).on('error', () => res.destroy()).pipe(res);
}
