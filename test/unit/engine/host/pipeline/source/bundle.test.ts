import { describe, expect, it, afterAll } from 'vitest';
import { bundle, DEFAULT_BUNDLE_LIMITS, type BundleRequest } from '../../../../../../engine/host/pipeline/source/bundle.ts';
import { systemClock } from '../../../../../../engine/common/clock.ts';
import { FakeClock } from '../../../../../support/fake-clock.ts';
import { makeWorkspace, removeWorkspace } from '../../../../../support/module-workspace.ts';

const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`m${i}.js`, `export const v${i} = ${i};\n`]));
const ws = makeWorkspace({ ...many, 'big.js': `export const big = "${'x'.repeat(4096)}";\n` });
afterAll(() => removeWorkspace(ws));

const importAll = Object.keys(many).map((f, i) => `import { v${i} } from './${f}';`).join('\n') + '\n';

function request(code: string): BundleRequest {
  return { code, insertions: [], language: 'javascript', filename: 'main.js', modules: { dir: ws, root: ws } };
}

describe('bundle limits', () => {
  it('stops bundling that takes longer than its time limit', async () => {
    const clock = new FakeClock();
    const pending = bundle(request(importAll), { clock, limits: { ...DEFAULT_BUNDLE_LIMITS, timeoutMs: 10_000 } });
    while (clock.pending === 0) await new Promise((r) => setImmediate(r));
    clock.advance(10_000);
    const outcome = await pending;
    expect(outcome).toMatchObject({ ok: false, error: { type: 'BundleLimitError', message: expect.stringMatching(/longer than 10 s/) } });
  });

  it('refuses a bundle over its size limit', async () => {
    const outcome = await bundle(request("import { big } from './big.js';\nexport const x = big;"), { clock: systemClock, limits: { ...DEFAULT_BUNDLE_LIMITS, maxOutputBytes: 1024 } });
    expect(outcome).toMatchObject({ ok: false, error: { type: 'BundleLimitError', message: expect.stringMatching(/^The bundle of the script and its imports is 4\.\d KB, over the 1\.0 KB limit\.$/) } });
  });

  it('stops reading past its file-count and input-size limits', async () => {
    const files = await bundle(request(importAll), { clock: systemClock, limits: { ...DEFAULT_BUNDLE_LIMITS, maxFiles: 10 } });
    expect(files).toMatchObject({ ok: false, error: { type: 'BundleLimitError', message: 'Bundling stopped: the imports reach more than 10 files.' } });
    const bytes = await bundle(request("import { big } from './big.js';\nexport const x = big;"), { clock: systemClock, limits: { ...DEFAULT_BUNDLE_LIMITS, maxFileBytes: 1000 } });
    expect(bytes).toMatchObject({ ok: false, error: { type: 'BundleLimitError' } });
  });

  it('reports what it read, with content hashes, for the cache', async () => {
    const outcome = await bundle(request("import { v1 } from './m1.js';\nexport const x = v1;"), { clock: systemClock });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.inputs.map((i) => i.path)).toEqual([`${ws}/m1.js`]);
    expect(outcome.inputs[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(outcome.entrySource).toBe('main.js');
    expect(outcome.js).toContain('var v1 = 1;');
  });
});
