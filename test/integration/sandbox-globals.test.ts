/**
 * The declaration Monaco uses for IntelliSense (renderer/src/features/editor/sandbox-globals.d.ts.txt)
 * must say what a script really has: every global the guest installs beyond a bare V8 context is
 * declared there, and every global declared there exists in the sandbox. A real engine host reports
 * the sandbox's globals; a plain isolated-vm context in this process gives the bare V8 ones.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ivm from 'isolated-vm';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';

const DECLARATION = join(import.meta.dirname, '../../renderer/src/features/editor/sandbox-globals.d.ts.txt');
const GLOBAL_NAMES = 'Object.getOwnPropertyNames(globalThis).sort()';

let engine: EngineClient;

beforeAll(async () => {
  engine = await EngineClient.start({ host: { poolSize: 1 } });
});
afterAll(async () => {
  await engine?.close();
});

function parse(source: string): ts.SourceFile {
  return ts.createSourceFile('sandbox-globals.d.ts', source, ts.ScriptTarget.Latest);
}

/** Value names a declaration file puts in the global scope (`declare var|let|const|function|class`). */
function declaredGlobals(file: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) names.push(declaration.name.getText(file));
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      names.push(statement.name.text);
    }
  }
  return [...new Set(names)].sort();
}

/** Member names of an interface the file declares (`interface Console { … }`). */
function declaredMembers(file: ts.SourceFile, interfaceName: string): string[] {
  const found = file.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === interfaceName);
  if (!found) throw new Error(`no interface ${interfaceName} in the declaration`);
  return [...new Set(found.members.map((member) => member.name!.getText(file)))].sort();
}

/** Own and inherited property names of a sandbox global, up to Object.prototype. */
async function sandboxMembers(global: string): Promise<string[]> {
  const code = `const names = new Set();
    for (let o = ${global}; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) for (const name of Object.getOwnPropertyNames(o)) names.add(name);
    return [...names].sort();`;
  const result = await engine.run({ code });
  expect(result.error).toBeUndefined();
  return result.value as string[];
}

async function sandboxGlobals(reuseContext: boolean): Promise<string[]> {
  const result = await engine.run({ code: `return ${GLOBAL_NAMES}`, reuseContext });
  expect(result.error).toBeUndefined();
  return result.value as string[];
}

async function bareGlobals(): Promise<string[]> {
  const isolate = new ivm.Isolate({ memoryLimit: 16 });
  try {
    const context = await isolate.createContext();
    return (await context.eval(GLOBAL_NAMES, { copy: true })) as string[];
  } finally {
    isolate.dispose();
  }
}

function difference(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return a.filter((name) => !other.has(name));
}

describe('sandbox globals declaration', () => {
  it('declares exactly the globals the guest installs, and nothing the sandbox lacks', async () => {
    const declared = declaredGlobals(parse(await readFile(DECLARATION, 'utf8')));
    const bare = await bareGlobals();
    for (const reuseContext of [false, true]) {
      const sandbox = await sandboxGlobals(reuseContext);
      const installed = difference(sandbox, bare);
      const report = {
        context: reuseContext ? 'reused' : 'fresh',
        'installed by the guest but not declared': difference(installed, declared),
        'declared but missing from the sandbox': difference(declared, sandbox),
      };
      expect(report).toEqual({ context: report.context, 'installed by the guest but not declared': [], 'declared but missing from the sandbox': [] });
    }
    // The test would pass vacuously if either side came back empty.
    expect(declared).toContain('Buffer');
    expect(bare).toContain('Array');
  });

  it.each([
    ['console', 'Console'],
    ['performance', 'Performance'],
  ])('declares the members %s really has', async (global, interfaceName) => {
    const declared = declaredMembers(parse(await readFile(DECLARATION, 'utf8')), interfaceName);
    const real = await sandboxMembers(global);
    expect({ 'in the sandbox but not declared': difference(real, declared), 'declared but missing': difference(declared, real) }).toEqual({
      'in the sandbox but not declared': [],
      'declared but missing': [],
    });
  });
});
