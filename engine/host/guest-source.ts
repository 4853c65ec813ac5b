/**
 * The guest's source as one script: engine/guest bundled by esbuild. One definition for the engine
 * host (which evaluates it into its V8 snapshot) and the packaging script (which ships it).
 */
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GUEST_DIR = fileURLToPath(new URL('../guest/', import.meta.url));

export function buildGuestSource(): string {
  const result = buildSync({
    entryPoints: [join(GUEST_DIR, 'index.ts')],
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2023',
    write: false,
    minifyWhitespace: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
