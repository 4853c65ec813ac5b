import { describe, expect, it } from 'vitest';
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { guestBundle } from '../../../../engine/host/guest-bundle.ts';

describe('guest bundle', () => {
  it('holds only guest code and the ABI it shares with the host', () => {
    const result = buildSync({
      entryPoints: [fileURLToPath(new URL('../../../../engine/guest/index.ts', import.meta.url))],
      bundle: true,
      write: false,
      metafile: true,
      format: 'iife',
      platform: 'neutral',
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((p) => !p.startsWith('engine/guest/'))).toEqual(['engine/common/guest-abi.ts']);
    expect(guestBundle()).not.toMatch(/zod|node:/);
  });
});
