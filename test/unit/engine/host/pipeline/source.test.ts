import { afterAll, describe, expect, it } from 'vitest';
import { prepareSource, RECORD_MODULE_REFUSAL, wrapCacheSize } from '../../../../../engine/host/pipeline/source.ts';
import { wrapSource } from '../../../../../engine/host/wrap.ts';
import { makeWorkspace, removeWorkspace } from '../../../../support/module-workspace.ts';

const ws = makeWorkspace({ 'util.js': 'export const twice = (n) => n * 2;\n' });
afterAll(() => removeWorkspace(ws));
const modules = { dir: ws, root: ws };

describe('the source stage', () => {
  it('wraps a plain script as wrap.ts does, without bundling, even when the text mentions import', async () => {
    const code = "const s = 'import x from \"y\"';\ns.length";
    const source = await prepareSource({ code, language: 'javascript', modules });
    expect(source).toMatchObject({ ok: true, wrapped: { code: wrapSource(code, { language: 'javascript' }).code } });
    expect(source.ok && source.bundle).toBeUndefined();
  });

  it('bundles a module script with its imports, then finds the bundle in its cache', async () => {
    const request = { code: "import { twice } from './util.js';\ntwice(21)", language: 'javascript' as const, filename: 'main.js', modules };
    const first = await prepareSource(request);
    expect(first).toMatchObject({ ok: true, bundle: { files: 2, cached: false } });
    expect(first.ok && first.wrapped.code).toContain('n * 2');
    const second = await prepareSource(request);
    expect(second).toMatchObject({ ok: true, bundle: { files: 2, cached: true } });
  });

  it("reports a module script's missing import before the run, as the script's error", async () => {
    const source = await prepareSource({ code: "import { nope } from './missing.js';\nnope", language: 'javascript', filename: 'main.js', modules });
    expect(source).toMatchObject({ ok: false, error: { message: expect.stringContaining('./missing.js'), line: 1 } });
  });

  it('stops bundling when the run is cancelled', async () => {
    const signal = AbortSignal.abort();
    const source = await prepareSource({ code: "import { twice } from './util.js';\ntwice(1) + 0", language: 'javascript', filename: 'other.js', modules }, signal);
    expect(source).toMatchObject({ ok: false, error: { type: 'CancelledError' } });
  });

  it('instruments a plain script that asks for values, and keeps it apart from the plain wrapping', async () => {
    const code = 'const a = 1;\na + 1';
    const plain = await prepareSource({ code, language: 'javascript' });
    const recorded = await prepareSource({ code, language: 'javascript', record: { values: true } });
    expect(plain.ok && plain.wrapped.instrumentation).toBeUndefined();
    expect(recorded.ok && recorded.wrapped.instrumentation).toBeDefined();
  });

  it('refuses record for a module script, before bundling, with a message that says why', async () => {
    const code = "import { twice } from './util.js';\ntwice(2)";
    const source = await prepareSource({ code, language: 'javascript', filename: 'main.js', modules, record: { values: true, coverage: true } });
    expect(source).toMatchObject({ ok: false, error: { type: 'UnsupportedError', message: RECORD_MODULE_REFUSAL } });
    expect(source.ok || source.error.message).toContain('module scripts');
  });
});

describe('prepareSource: the wrap cache', () => {
  const plain = (code: string) => prepareSource({ code, language: 'javascript' });

  it('gives the same wrapping for the same code again', async () => {
    const first = await plain('return 1 + 1');
    const again = await plain('return 1 + 1');
    expect(first.ok && again.ok && first.wrapped === again.wrapped).toBe(true);
  });

  it('holds at most 4 Mi characters however many large scripts run, and keeps the recent ones', async () => {
    // 40 distinct scripts of 200 Ki characters: 64 entries of this size would hold about 16 Mi.
    // One string literal each, so that parsing them is quick.
    const script = (i: number) => `// ${i}\nreturn '${'x'.repeat(200 * 1024)}'.length`;
    for (let i = 0; i < 40; i++) expect((await plain(script(i))).ok).toBe(true);
    const size = wrapCacheSize();
    expect(size.chars).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(size.entries).toBeGreaterThan(0);
    const recent = await plain(script(39));
    const again = await plain(script(39));
    expect(recent.ok && again.ok && recent.wrapped === again.wrapped).toBe(true);
  });
});
