/**
 * Monaco, bundled from its ESM build: the editor core and its contributions, JavaScript and
 * TypeScript only (not the 80 other languages of `monaco-editor`'s main entry), workers as Vite
 * `?worker` chunks so nothing loads from a CDN.
 *
 * IntelliSense knows the sandbox, not a browser or Node: ES2024 plus a declaration file of exactly
 * the isolate's globals, no DOM lib. Scripts are wrapped in an async function by the engine, so
 * top-level `return` and `await` are legal there and their diagnostics are silenced.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/typescript/register';
import { javascriptDefaults, typescriptDefaults, ScriptTarget, ModuleKind } from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';
import sandboxGlobals from './sandbox-globals.d.ts.txt?raw';

/**
 * Diagnostics that do not apply to a sandbox script:
 * 1108 'return' outside a function; 1375/1378 top-level 'await' needs a module;
 * 1431/1432 'for await' at top level needs a module; 2304 is NOT here (unknown names must flag).
 * Imports resolve in the engine, not here (the editor sees only the open tabs, not node_modules):
 * 2307/2792 cannot find a module, 7016 no declaration file, 5097 an import ending in '.ts'.
 */
export const IGNORED_DIAGNOSTICS = [1108, 1375, 1378, 1431, 1432, 2307, 2792, 5097, 7016];

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    return label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker();
  },
};

for (const defaults of [typescriptDefaults, javascriptDefaults]) {
  defaults.setCompilerOptions({
    target: ScriptTarget.ESNext,
    module: ModuleKind.ESNext,
    lib: ['es2024'],
    allowJs: true,
    checkJs: defaults === javascriptDefaults,
    strict: false,
    noImplicitAny: false,
    allowNonTsExtensions: true,
    // Scripts may import each other (open tabs resolve by their file:///workspace/ URIs); no project.
    isolatedModules: false,
    types: [],
  });
  defaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, diagnosticCodesToIgnore: IGNORED_DIAGNOSTICS });
  defaults.setExtraLibs([{ content: sandboxGlobals, filePath: 'file:///isolab/sandbox-globals.d.ts' }]);
  defaults.setEagerModelSync(true);
}

export function modelUri(name: string): monaco.Uri {
  return monaco.Uri.from({ scheme: 'file', path: `/workspace/${name}` });
}

export { monaco };
