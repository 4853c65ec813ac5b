import { afterAll, describe, expect, it } from 'vitest';
import { prepareSource } from '../../../../../engine/host/pipeline/source.ts';
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
});
