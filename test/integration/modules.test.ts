/**
 * Module scripts through a real engine host: workspace files importing each other (JS and TS),
 * packages installed from the tarball fixtures (ESM, CommonJS, `exports` conditions), dynamic
 * import, positions in imported files, refused built-ins and native addons, confinement, the
 * sandbox's `buffer` module, call mode, leak profiles and the bundle cache.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';
import type { RunRequest } from '../../engine/common/contract.ts';
import { main, type Io } from '../../engine/cli/main.ts';
import { installFixtures, makeWorkspace, removeWorkspace, writeFiles } from '../support/module-workspace.ts';

let engine: EngineClient;
let ws: string;
let outside: string;

beforeAll(async () => {
  ws = makeWorkspace({
    'util.js': "import { name } from './main.js';\nexport function twice(n) {\n  return n * 2;\n}\nexport const whoImportsMe = () => name();\n",
    // Its last expression calls nothing from util.js: in a cycle, util.js has not run yet when main.js does.
    'main.js': "import { twice, whoImportsMe } from './util.js';\nexport function name() {\n  return 'main';\n}\nexport const both = () => [twice(21), whoImportsMe()];\nname()\n",
    'shapes.ts': "import { area } from './geometry.ts';\nexport interface Square { side: number }\nexport const unit: Square = { side: 1 };\nexport function describe(s: Square): string {\n  return `area ${area(s)}`;\n}\n",
    'geometry.ts': "import type { Square } from './shapes.ts';\nimport { unit } from './shapes.ts';\nexport function area(s: Square): number {\n  return s.side * s.side;\n}\nexport const unitArea = (): number => area(unit);\n",
    'thrower.js': "export function check(list) {\n  if (list.length === 0) {\n    throw new RangeError('empty list');\n  }\n  return list.length;\n}\nexport function trace() {\n  console.trace('from thrower');\n}\n",
    'later.js': 'export const later = 7;\n',
    'spin.js': 'export function spin() {\n  let i = 0;\n  for (;;) i++;\n}\nexport function tick() {\n  setTimeout(tick, 5);\n}\n',
  });
  installFixtures(ws, ['esm', 'cjs', 'conditions', 'native', 'isomorphic']);
  outside = makeWorkspace({ 'secret.js': 'export const secret = "host file";\n' }, 'isolab-outside-');
  symlinkSync(join(outside, 'secret.js'), join(ws, 'linked.js'));
  engine = await EngineClient.start({ host: { poolSize: 2 } });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  removeWorkspace(ws);
  removeWorkspace(outside);
});

function run(code: string, extra: Partial<RunRequest> = {}) {
  return engine.run({ code, filename: 'script.js', modules: { dir: ws, root: ws }, ...extra });
}

describe('workspace modules', () => {
  it('runs two JavaScript files that import each other', async () => {
    const r = await run("import { twice, whoImportsMe } from './util.js';\nexport function name() { return 'script'; }\n[twice(2), whoImportsMe()]", { filename: 'main.js' });
    expect(r.error).toBeUndefined();
    // The script is main.js itself: util.js importing it back gets this text, not the file's.
    expect(r.value).toEqual([4, 'script']);
    expect(r.bundle).toMatchObject({ files: 2, cached: false });
  });

  it('runs two TypeScript files that import each other', async () => {
    const r = await run("import { describe, unit } from './shapes.ts';\nimport { unitArea } from './geometry.ts';\nconst s: { side: number } = { side: 3 };\n[describe(s), unitArea(), unit.side]", { filename: 'entry.ts', language: 'typescript' });
    expect(r.error).toBeUndefined();
    expect(r.value).toEqual(['area 9', 1, 1]);
  });

  it('supports dynamic import of a workspace file and a package, and top-level await', async () => {
    const r = await run("const { later } = await import('./later.js');\nconst { greet } = await import('isolab-fixture-esm');\n[later, greet('dyn')]");
    expect(r.value).toEqual([7, 'hello dyn']);
  });

  it('reports an error thrown in an imported file at that file and line, with the stack in original files', async () => {
    const r = await run("import { check } from './thrower.js';\n\ncheck([]);\n");
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ type: 'RangeError', message: 'empty list', file: 'thrower.js', line: 3, column: 11 });
    expect(r.error?.stack).toContain('at check (thrower.js:3:11)');
    expect(r.error?.stack).toContain('script.js:3:1');
    expect(r.error?.stack).not.toMatch(/isolab:guest/);
  });

  it('points console.trace frames at the original files', async () => {
    const r = await run("import { trace } from './thrower.js';\ntrace();\n");
    expect(r.logs[0]!.text).toMatch(/^Trace: from thrower/);
    expect(r.logs[0]!.text).toContain('at trace (thrower.js:8:11)');
    expect(r.logs[0]!.text).toContain('script.js:2:1');
  });

  it('reports an error in a package where the script called it, with the package frame in the stack', async () => {
    const r = await run("import { failIfEmpty } from 'isolab-fixture-esm';\nfailIfEmpty([]);\n");
    expect(r.error).toMatchObject({ type: 'TypeError', line: 2, column: 1 });
    expect(r.error?.file).toBeUndefined();
    expect(r.error?.stack).toContain('node_modules/isolab-fixture-esm/index.js:7:11');
  });

  it('reports a syntax error in an imported file at that file', async () => {
    writeFiles(ws, { 'broken.js': 'export const a = 1;\nexport const b = ;\n' });
    const r = await run("import { a } from './broken.js';\na");
    expect(r.error).toMatchObject({ type: 'SyntaxError', file: 'broken.js', line: 2, column: 18 });
  });

  it('says where a stopped run was in the imported file: the frames of a busy run, the line that set a timer', async () => {
    const busy = await run("import { spin } from './spin.js';\n\nspin();\n", { timeoutMs: 150 });
    expect(busy.error).toMatchObject({ type: 'TimeoutError', file: 'spin.js', line: 3, stopped: { state: 'busy' } });
    expect(busy.error?.stopped?.frames?.slice(0, 2)).toMatchObject([
      { functionName: 'spin', file: 'spin.js', line: 3 },
      { line: 3, column: 1 },
    ]);
    expect(busy.error?.stopped?.frames?.[1]?.file).toBeUndefined();
    expect(busy.error?.stack).toContain('at spin (spin.js:3:');
    const waiting = await run("import { tick } from './spin.js';\ntick();\nawait new Promise(() => {});\n", { timeoutMs: 150 });
    expect(waiting.error?.stopped).toMatchObject({ state: 'waiting', waits: [{ kind: 'timer', delayMs: 5, file: 'spin.js', line: 6, column: 3 }] });
  });

  it('keeps plain scripts as they were: top-level return, last expression', async () => {
    const r = await run('const a = 2;\nif (a) return a * 21;\n"no"');
    expect(r.value).toBe(42);
    expect(r.bundle).toBeUndefined();
  });

  it('refuses inline values and coverage for a module script, and records them for a plain one beside it', async () => {
    const refused = await run("import { twice } from './util.js';\ntwice(2)", { filename: 'main.js', record: { values: true, coverage: true } });
    expect(refused).toMatchObject({ ok: false, error: { type: 'UnsupportedError', message: expect.stringContaining('module scripts') } });
    expect(refused.values).toBeUndefined();
    const plain = await run('const a = 2;\na * 21', { record: { values: true, coverage: true } });
    expect(plain.value).toBe(42);
    expect(plain.values).toEqual([expect.objectContaining({ line: 2, kind: 'expression', preview: '42' })]);
    expect(plain.coverage).toBeDefined();
  });
});

describe('results and calls of module scripts', () => {
  it('returns the last top-level expression', async () => {
    const r = await run("import { twice } from './util.js';\nexport const x = 1;\ntwice(5)");
    expect(r.value).toBe(10);
  });

  it("returns the script's exports when it does not end with an expression", async () => {
    const r = await run('export default 42;\nexport const name = "m";');
    expect(r.value).toMatchObject({ $isolab: 'object', className: null, props: { default: 42, name: 'm' } });
  });

  it('calls exported and top-level functions', async () => {
    const code = "import { twice } from './util.js';\nexport function exported(n) { return twice(n); }\nfunction local(n) { return n + 1; }\nexport { local as alias };";
    expect((await run(code, { call: { name: 'exported', args: [4] } })).value).toBe(8);
    expect((await run(code, { call: { name: 'local', args: [4] } })).value).toBe(5);
    expect((await run(code, { call: { name: 'alias', args: [1] } })).value).toBe(2);
    const missing = await run(code, { call: { name: 'nope', args: [] } });
    expect(missing.error?.message).toMatch(/Functions found: .*exported/);
  });

  it('profiles a module script for leaks', async () => {
    const report = await engine.leak({ code: "import { twice } from './util.js';\nglobalThis.kept ??= [];\nkept.push(twice(1));", filename: 'leaky.js', modules: { dir: ws, root: ws }, iterations: 5 });
    expect(report.stoppedBy).toBeUndefined();
    expect(report.completed).toBe(5);
  });
});

describe('npm packages', () => {
  it('imports an ESM-only package', async () => {
    expect((await run("import { greet } from 'isolab-fixture-esm';\ngreet('esm')")).value).toBe('hello esm');
  });

  it('imports a CommonJS-only package (default and named imports)', async () => {
    const r = await run("import cjs, { add } from 'isolab-fixture-cjs';\n[add(1, 2), cjs.twice(4)]");
    expect(r.value).toEqual([3, 8]);
  });

  it("picks the browser-like conditions of a package's exports map", async () => {
    const r = await run("import main from 'isolab-fixture-conditions';\nimport feature from 'isolab-fixture-conditions/feature';\n[main, feature]");
    expect(r.value).toEqual(['browser', 'import']);
  });

  it('lets a package do without a built-in it requires optionally, and fails the require that runs', async () => {
    const r = await run("import iso from 'isolab-fixture-isomorphic';\niso.hasNodeCrypto");
    expect(r.value).toBe(false);
    const later = await run("import iso from 'isolab-fixture-isomorphic';\n\niso.readFile('/etc/passwd')");
    expect(later.error).toMatchObject({ code: 'ERR_ISOLAB_UNAVAILABLE_MODULE', line: 3, column: 5 });
    expect(later.error?.message).toMatch(/^Cannot import 'fs' \(required by node_modules\/isolab-fixture-isomorphic\/index\.js\): Node's 'fs' module/);
  });
});

describe('what the sandbox refuses', () => {
  it('refuses fs before the run, naming the module, the file and line, and what the sandbox provides', async () => {
    const r = await run("const a = 1;\nimport fs from 'fs';\nfs.readFileSync('/etc/passwd')");
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ type: 'ImportError', line: 2, column: 16 });
    expect(r.error?.message).toContain("Cannot import 'fs' (script.js:2:16)");
    expect(r.error?.message).toContain('file system');
    expect(r.error?.message).toContain("Buffer (also as the 'buffer' module)");
    expect(r.logs).toEqual([]);
  });

  it('refuses node:child_process and every other Node built-in but buffer', async () => {
    const r = await run("import { exec } from 'node:child_process';");
    expect(r.error?.message).toMatch(/^Cannot import 'node:child_process' \(script\.js:1:22\): Node's 'child_process' module \(processes and threads\)/);
    for (const name of builtinModules.filter((n) => !n.startsWith('_') && !n.startsWith('buffer'))) {
      const refused = await run(`import * as m from '${name.startsWith('node:') ? name : `node:${name}`}';`);
      expect(refused.error?.type, name).toBe('ImportError');
    }
  });

  it('refuses a native addon with a clear message at the package file that loads it', async () => {
    const r = await run("import addon from 'isolab-fixture-native';\naddon");
    expect(r.error).toMatchObject({ type: 'ImportError', file: 'node_modules/isolab-fixture-native/index.js', line: 1 });
    expect(r.error?.message).toMatch(/native addon/);
  });

  it('refuses imports that leave the workspace, by path or through a symlink', async () => {
    const byPath = await run(`import { secret } from '../${outside.split('/').pop()}/secret.js';\nsecret`);
    expect(byPath.error).toMatchObject({ type: 'ImportError', line: 1 });
    expect(byPath.error?.message).toMatch(/outside .*imports must stay inside the workspace/);
    const absolute = await run(`import { secret } from '${join(outside, 'secret.js')}';\nsecret`);
    expect(absolute.error?.type).toBe('ImportError');
    const linked = await run("import { secret } from './linked.js';\nsecret");
    expect(linked.error?.type).toBe('ImportError');
    expect(linked.error?.message).toContain(outside);
  });

  it('says a package is missing, and how to add it', async () => {
    const r = await run("import _ from 'lodash';");
    expect(r.error?.message).toMatch(/^Cannot find package 'lodash' \(script\.js:1:15\): it is not installed in .*Add package….*npm install lodash/);
  });

  it('imports only the buffer module without a module scope (JSON API runs)', async () => {
    const ok = await engine.run({ code: "import { Buffer as B } from 'buffer';\nB === Buffer" });
    expect(ok.value).toBe(true);
    const refused = await engine.run({ code: "import './util.js';" });
    expect(refused.error?.message).toMatch(/no folder to import from/);
  });
});

describe("the sandbox's buffer module", () => {
  it("exports the sandbox's Buffer and Node's constants", async () => {
    const r = await run(
      "import buffer, { Buffer as B, kMaxLength, constants, SlowBuffer, atob as a, btoa as b } from 'node:buffer';\n" +
        "[B === Buffer, buffer.Buffer === Buffer, kMaxLength, constants.MAX_STRING_LENGTH, buffer.kStringMaxLength, SlowBuffer(3).length, a === atob, b('hi'), buffer.INSPECT_MAX_BYTES]",
    );
    const node = await import('node:buffer');
    expect(r.value).toEqual([true, true, node.kMaxLength, node.constants.MAX_STRING_LENGTH, node.kStringMaxLength, 3, true, 'aGk=', 50]);
  });

  it('honours INSPECT_MAX_BYTES when set, in buf.inspect(), the console and the result, and validates it', async () => {
    const r = await run("import buffer from 'buffer';\nbuffer.INSPECT_MAX_BYTES = 2;\nconst b = Buffer.from([1, 2, 3, 4]);\nconsole.log(b);\n[b.inspect(), b]");
    expect(r.logs.map((l) => l.text)).toEqual(['<Buffer 01 02 ... 2 more bytes>']);
    expect(r.value).toMatchObject([ '<Buffer 01 02 ... 2 more bytes>', { $isolab: 'bytes', kind: 'Buffer', inspectMaxBytes: 2 } ]);
    const bad = await run("import buffer from 'buffer';\nbuffer.INSPECT_MAX_BYTES = -1;");
    expect(bad.error).toMatchObject({ type: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  });

  it('is what a CommonJS require gives too', async () => {
    writeFiles(ws, { 'node_modules/uses-buffer/package.json': '{"name":"uses-buffer","version":"1.0.0"}', 'node_modules/uses-buffer/index.js': "module.exports = require('buffer').Buffer === Buffer;" });
    expect((await run("import same from 'uses-buffer';\nsame")).value).toBe(true);
  });
});

describe('the bundle cache', () => {
  it('skips bundling when nothing changed, and bundles again when an imported file changes', async () => {
    writeFiles(ws, { 'counter.js': 'export const n = 1;\n' });
    const code = "import { n } from './counter.js';\nimport { greet } from 'isolab-fixture-esm';\n[n, greet('c')]";
    const first = await run(code, { filename: 'cache-test.js' });
    expect(first.bundle?.cached).toBe(false);
    const second = await run(code, { filename: 'cache-test.js' });
    expect(second.bundle?.cached).toBe(true);
    expect(second.value).toEqual([1, 'hello c']);
    writeFileSync(join(ws, 'counter.js'), 'export const n = 2;\n');
    const third = await run(code, { filename: 'cache-test.js' });
    expect(third.bundle?.cached).toBe(false);
    expect(third.value).toEqual([2, 'hello c']);
  });

  it('bundles again when a new file changes what an import resolves to', async () => {
    writeFiles(ws, { 'shadow.js': 'export default "js";\n' });
    const code = "import v from './shadow';\nv";
    expect((await run(code)).value).toBe('js');
    expect((await run(code)).bundle?.cached).toBe(true);
    // esbuild tries .ts before .js for an extensionless import.
    writeFiles(ws, { 'shadow.ts': 'export default "ts";\n' });
    const after = await run(code);
    expect(after.bundle?.cached).toBe(false);
    expect(after.value).toBe('ts');
  });
});

describe('isolab run with imports', () => {
  function io(): Io & { out: string; err: string } {
    const captured = { out: '', err: '' };
    return Object.assign(captured, { stdout: (t: string) => void (captured.out += t), stderr: (t: string) => void (captured.err += t), stdin: () => new Uint8Array(), color: false });
  }

  it("resolves from the file's folder, and prints an imported file's error with its name and code frame", async () => {
    writeFiles(ws, { 'cli/run-me.js': "import { check } from '../thrower.js';\nimport { greet } from 'isolab-fixture-esm';\nconsole.log(greet('cli'));\ncheck([]);\n" });
    const out = io();
    const code = await main(['run', join(ws, 'cli/run-me.js')], out);
    expect(code).toBe(1);
    expect(out.out).toContain('hello cli');
    expect(out.out).toContain('✖ RangeError: empty list (thrower.js, line 3, column 11)');
    expect(out.out).toContain("> 3 |     throw new RangeError('empty list');");
    expect(out.out).toMatch(/bundle .* ms/);
  });

  it('refuses a --root that does not contain the file (exit 2)', async () => {
    const out = io();
    expect(await main(['run', join(ws, 'main.js'), '--root', outside], out)).toBe(2);
    expect(out.err).toMatch(/--root .* does not contain/);
  });
});
