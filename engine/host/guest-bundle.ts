/**
 * The guest code (engine/guest) as one script, evaluated in every new context. Bundled once per
 * host process with esbuild; a packaged app can ship the prebuilt text instead
 * (ISOLAB_GUEST_BUNDLE points at it).
 */
import { buildSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const GUEST_FILENAME = 'isolab:guest';

let cached: string | undefined;

export function guestBundle(): string {
  if (cached !== undefined) return cached;
  const prebuilt = process.env.ISOLAB_GUEST_BUNDLE;
  if (prebuilt) {
    cached = readFileSync(prebuilt, 'utf8');
    return cached;
  }
  const result = buildSync({
    entryPoints: [fileURLToPath(new URL('../guest/index.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2023',
    write: false,
    minifyWhitespace: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  cached = result.outputFiles[0]!.text;
  return cached;
}
