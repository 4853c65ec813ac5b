/**
 * Serves the built renderer on `app://isolab/…` instead of file:// (which would give the page
 * access to every file URL and an opaque origin). Only files inside out/renderer are answered,
 * each with the Content-Security-Policy header. Pure apart from reading files, so it is tested
 * under Node with the global Response.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { contentSecurityPolicy } from '../../engine/web/csp.ts';
import { mimeType, resolveInside } from '../../engine/web/static-files.ts';
import { APP_HOST, APP_SCHEME } from './renderer-origin.ts';

/** For protocol.registerSchemesAsPrivileged: a standard, secure origin that may use fetch. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

export const RENDERER_CSP = contentSecurityPolicy();

export async function rendererResponse(requestUrl: string, rendererDir: string): Promise<Response> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return notFound();
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
  const path = resolveInside(rendererDir, url.pathname);
  if (!path) return notFound();
  try {
    const [root, real] = await Promise.all([realpath(rendererDir), realpath(path)]);
    const rel = relative(root, real);
    if (rel.startsWith('..') || isAbsolute(rel) || !(await stat(real)).isFile()) return notFound();
    return new Response(new Uint8Array(await readFile(real)), {
      status: 200,
      headers: {
        'Content-Type': mimeType(real),
        'Content-Security-Policy': RENDERER_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  } catch {
    return notFound();
  }
}

function notFound(): Response {
  return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
}
