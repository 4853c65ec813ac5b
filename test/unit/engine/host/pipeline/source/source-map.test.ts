import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BundleMap } from '../../../../../../engine/host/pipeline/source/source-map.ts';

/** A real esbuild source map of a package file. */
async function packageMap(): Promise<BundleMap> {
  const lib = await transform('export function f(a) {\n  return a.b;\n}\n', { sourcemap: 'external', sourcefile: 'node_modules/p/index.js', format: 'esm' });
  const libMap = JSON.parse(lib.map) as { mappings: string };
  return new BundleMap({ version: 3, sources: ['node_modules/p/index.js'], names: [], mappings: libMap.mappings }, { source: 'main.js', insertions: [] });
}

describe('BundleMap', () => {
  it('maps bundle positions to original files, 1-based both sides', async () => {
    const map = await packageMap();
    // esbuild maps `return` (column 3 of `  return a.b;`) from the line's start, and `a` to itself.
    expect(map.original(2, 1)).toEqual({ file: 'node_modules/p/index.js', line: 2, column: 3 });
    expect(map.original(2, 10)).toEqual({ file: 'node_modules/p/index.js', line: 2, column: 10 });
    expect(map.generated('node_modules/p/index.js', 2, 10)).toEqual({ line: 2, column: 10 });
    expect(map.generated('node_modules/p/index.js', 2, 3)).toEqual({ line: 2, column: 1 });
  });

  it("maps the script's own positions without a file, through the text inserted to capture its result", () => {
    // Generated line 1 = main.js line 1, column for column; the entry had 10 characters inserted at column 1.
    const map = new BundleMap({ version: 3, sources: ['main.js'], names: [], mappings: 'AAAA,UAAU' }, { source: 'main.js', insertions: [{ line: 1, column: 1, length: 10 }] });
    expect(map.original(1, 1)).toEqual({ line: 1, column: 1 });
    // Column 11 of the edited copy is column 1 of the user's line.
    expect(map.original(1, 11)).toEqual({ line: 1, column: 1 });
    expect(map.generated(undefined, 1, 1)).toEqual({ line: 1, column: 11 });
  });

  it('has no original position for bundler glue or the sandbox built-ins', () => {
    const map = new BundleMap({ version: 3, sources: ['isolab-builtin:buffer', 'main.js'], names: [], mappings: ';AAAA;ACAA' }, { source: 'main.js', insertions: [] });
    expect(map.original(1, 1)).toBeUndefined();
    expect(map.original(2, 1)).toBeUndefined();
    expect(map.original(3, 1)).toEqual({ line: 1, column: 1 });
    expect(map.sources).toEqual(['isolab-builtin:buffer', 'main.js']);
  });
});
