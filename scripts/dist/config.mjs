// electron-builder configuration of the Isolab installers, for every platform: AppImage and deb
// on Linux, dmg on macOS, NSIS on Windows. scripts/dist.mjs builds the current platform's.
//
// What goes where in the package:
//   resources/app.asar        the app: out/main, out/preload, out/renderer and a package.json with
//                             no dependencies (main and preload are bundled by electron-vite)
//   resources/engine/         the engine runtime (scripts/build-engine.mjs): Node 24, host.mjs,
//                             guest.js, isolated-vm. Outside the asar on purpose: a separate Node
//                             process runs it, and neither Node nor a native module can read an asar.
//   resources/policy/         the team policy, when the build was given one (--policy FILE):
//                             policy.json and the files it names by relative path
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterPackFlipFuses } from './fuses.mjs';

const require = createRequire(import.meta.url);

export const PRODUCT_NAME = 'Isolab';
export const EXECUTABLE_NAME = 'isolab';
export const APP_ID = 'dev.isolab.desktop';

export function electronVersion() {
  return JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
}

/**
 * @param {{ appDir: string, outDir: string, engineDir: string, electronDist?: string, policyFiles?: { from: string, to: string }[],
 *           maintainer: string, homepage: string }} options
 */
export function builderConfig(options) {
  return {
    appId: APP_ID,
    productName: PRODUCT_NAME,
    executableName: EXECUTABLE_NAME,
    electronVersion: electronVersion(),
    ...(options.electronDist ? { electronDist: options.electronDist } : {}),
    directories: { output: options.outDir },
    asar: true,
    files: ['out/**/*', 'package.json'],
    extraResources: [
      { from: options.engineDir, to: 'engine', filter: ['**/*'] },
      // Listed on its own: electron-builder leaves node_modules folders out of a copied tree.
      { from: `${options.engineDir}/node_modules`, to: 'engine/node_modules', filter: ['**/*'] },
      ...(options.policyFiles ?? []).map(({ from, to }) => ({ from, to: `policy/${to}` })),
    ],
    // Nothing to rebuild: the app has no dependencies of its own, and isolated-vm is loaded by the
    // engine's Node (its prebuilds match Node's ABI, not Electron's).
    npmRebuild: false,
    nodeGypRebuild: false,
    afterPack: afterPackFlipFuses,
    publish: null,
    artifactName: '${productName}-${version}-${arch}.${ext}',
    linux: {
      target: ['AppImage', 'deb'],
      category: 'Development',
      maintainer: options.maintainer,
      synopsis: 'Sandbox IDE for JavaScript and TypeScript',
      description: 'Run JavaScript and TypeScript in V8 isolates, stop runaway code, and see what it cost.',
    },
    deb: { packageName: EXECUTABLE_NAME },
    mac: { target: ['dmg'], category: 'public.app-category.developer-tools' },
    dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
    win: { target: ['nsis'] },
    nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
    extraMetadata: { homepage: options.homepage },
  };
}
