/**
 * Serves the built renderer on `app://isolab/…` instead of file:// (which would give the page
 * access to every file URL and an opaque origin). Only files inside out/renderer are answered
 * (engine/app/safe-files.ts decides, by the same rule as web mode), each with the
 * Content-Security-Policy header. Pure apart from reading files, so it is tested under Node with
 * the global Response.
 */
import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy } from '../../engine/app/csp.ts';
import { mimeType, resolveSafeFile } from '../../engine/app/safe-files.ts';
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
  const found = await resolveSafeFile(rendererDir, url.pathname);
  if (!found) return notFound();
  try {
    return new Response(new Uint8Array(await readFile(found.path)), {
      status: 200,
      headers: {
        'Content-Type': mimeType(found.path),
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
