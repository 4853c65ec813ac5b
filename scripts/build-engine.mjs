#!/usr/bin/env node
// Builds the engine runtime a packaged app ships under <resources>/engine/ (the layout that
// engine/client/runtime.ts resolves):
//
//   host.mjs                       engine/host bundled to one ES module (no type stripping at run time)
//   guest.js                       the guest bundle, built exactly as engine/host/guest-bundle.ts does
//   bin/node[.exe]                 the Node 24 runtime for the target (scripts/node-runtime.mjs)
//   node_modules/isolated-vm/      its loader and the target's prebuilt .node files only
//   node_modules/node-gyp-build/   what isolated-vm loads its .node file with
//   node_modules/esbuild/          esbuild's JS API, and node_modules/@esbuild/<target>/ its binary:
//                                  the host bundles module scripts' imports with it
//
// Usage: node scripts/build-engine.mjs [--platform linux] [--arch x64] [--out build/engine/linux-x64]
import { build } from 'esbuild';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installNodeRuntime } from './node-runtime.mjs';
import { buildGuestSource } from '../engine/host/guest-source.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

export function engineOutDir(platform, arch) {
  return join(ROOT, 'build', 'engine', `${platform}-${arch}`);
}

async function buildHost(outFile) {
  await build({
    entryPoints: [join(ROOT, 'engine/host/main.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    // esbuild runs a native binary of its own: shipped beside the host, not bundled into it.
    external: ['isolated-vm', 'esbuild'],
    // CommonJS dependencies bundled into an ES module still call require() for Node builtins.
    banner: { js: "import { createRequire as __isolabCreateRequire } from 'node:module'; const require = __isolabCreateRequire(import.meta.url);" },
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

/** The guest bundle, built by the same function the engine host uses. */
function buildGuest(outFile) {
  writeFileSync(outFile, buildGuestSource());
}

/** isolated-vm's loader plus only the target's prebuilds (node-gyp-build picks the ABI and libc at run time). */
function copyIsolatedVm(outDir, platform, arch) {
  const source = dirname(require.resolve('isolated-vm/package.json'));
  const target = join(outDir, 'node_modules', 'isolated-vm');
  const prebuilds = join(source, 'prebuilds', `${platform}-${arch}`);
  if (!existsSync(prebuilds)) throw new Error(`isolated-vm ships no prebuilt binary for ${platform}-${arch} (${prebuilds})`);
  for (const file of ['package.json', 'isolated-vm.js', 'isolated-vm.d.ts', 'LICENSE']) cpSync(join(source, file), join(target, file));
  cpSync(prebuilds, join(target, 'prebuilds', `${platform}-${arch}`), { recursive: true });
  for (const file of readdirSync(join(target, 'prebuilds', `${platform}-${arch}`))) chmodSync(join(target, 'prebuilds', `${platform}-${arch}`, file), 0o755);
  const gypBuild = dirname(require.resolve('node-gyp-build/package.json', { paths: [source] }));
  cpSync(gypBuild, join(outDir, 'node_modules', 'node-gyp-build'), { recursive: true });
}

/** esbuild's JS API and the target's esbuild binary (the host bundles module scripts' imports with them). */
function copyEsbuild(outDir, platform, arch) {
  const source = dirname(require.resolve('esbuild/package.json'));
  const target = join(outDir, 'node_modules', 'esbuild');
  for (const file of ['package.json', 'LICENSE.md', 'lib/main.js']) cpSync(join(source, file), join(target, file));
  const binaryPackage = `@esbuild/${platform === 'win32' ? 'win32' : platform}-${arch}`;
  let binary;
  try {
    binary = dirname(require.resolve(`${binaryPackage}/package.json`, { paths: [source] }));
  } catch {
    throw new Error(`esbuild's binary for ${platform}-${arch} (${binaryPackage}) is not installed: build the engine for a target on that platform`);
  }
  cpSync(binary, join(outDir, 'node_modules', binaryPackage), { recursive: true });
}

export async function buildEngine({ platform = process.platform, arch = process.arch, outDir = engineOutDir(platform, arch), log = () => {} } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'bin'), { recursive: true });
  await buildHost(join(outDir, 'host.mjs'));
  buildGuest(join(outDir, 'guest.js'));
  copyIsolatedVm(outDir, platform, arch);
  copyEsbuild(outDir, platform, arch);
  const node = installNodeRuntime({ platform, arch, destination: join(outDir, 'bin', platform === 'win32' ? 'node.exe' : 'node'), log });
  log(`engine runtime for ${platform}-${arch} in ${outDir} (Node ${node.version} from ${node.source})`);
  return { outDir, nodeVersion: node.version };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { platform: { type: 'string' }, arch: { type: 'string' }, out: { type: 'string' } } });
  await buildEngine({
    platform: values.platform ?? process.platform,
    arch: values.arch ?? process.arch,
    ...(values.out ? { outDir: values.out } : {}),
    log: (line) => process.stdout.write(`build-engine: ${line}\n`),
  });
}
