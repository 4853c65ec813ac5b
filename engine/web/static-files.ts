/**
 * Serves the built renderer (out/renderer) read-only. Paths are decoded, normalised and must stay
 * inside the folder; dot files and anything that is not a regular file are 404.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, isAbsolute, sep } from 'node:path';
import { SECURITY_HEADERS } from './http-util.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Maps a URL path to a file inside `root`, or null when it would leave it or names a dot file. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relativePath = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = join(root, relativePath);
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  if (rel.split(sep).some((part) => part.startsWith('.'))) return null;
  return full;
}

export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, csp: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const path = resolveInside(root, url.pathname);
  const found = path ? await regularFileInside(root, path) : null;
  if (!found) {
    res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found');
    return;
  }
  const isHtml = found.path.endsWith('.html');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': mimeType(found.path),
    'Content-Length': found.size,
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

async function regularFileInside(root: string, path: string): Promise<{ path: string; size: number } | null> {
  try {
    const [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
    const rel = relative(realRoot, real);
    if (rel.startsWith('..') || isAbsolute(rel)) return null;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size } : null;
  } catch {
    return null;
  }
}
