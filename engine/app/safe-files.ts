/**
 * Which file a URL path names inside a served folder, for both ways the renderer is served: web
 * mode's HTTP static files and Electron's `app://` protocol. One rule, so the two cannot drift: the
 * path is decoded and normalised and must stay inside the folder, no part may start with a dot,
 * symlinks are resolved and must land inside the folder too, and only regular files are served.
 */
import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';

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

/** Maps a URL path to a path inside `root`, or null when it would leave it or names a dot file. */
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

export interface SafeFile {
  /** The real path (symlinks resolved), inside the real root. */
  path: string;
  sizeBytes: number;
}

/** The regular file `urlPath` names inside `root`, or null (outside, a dot file, missing, a folder). */
export async function resolveSafeFile(root: string, urlPath: string): Promise<SafeFile | null> {
  const path = resolveInside(root, urlPath);
  if (!path) return null;
  try {
    // A symlink inside the folder may point anywhere: judge where it really lands.
    const [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
    const rel = relative(realRoot, real);
    if (rel.startsWith('..') || isAbsolute(rel)) return null;
    const info = await stat(real);
    return info.isFile() ? { path: real, sizeBytes: info.size } : null;
  } catch {
    return null;
  }
}
