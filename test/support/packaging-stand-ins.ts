/**
 * A STAND-IN for Electron's unpacked distribution, for exercising electron-builder's pipeline on
 * machines where the real Electron cannot be downloaded. It is NOT Electron and never launches
 * the app: its executable is a shell script that says so and exits 1. It carries a fuse wire in
 * Electron's format (sentinel, version 1, Electron's default fuse states), so the after-pack step
 * flips real bytes that the test then reads back; what that proves is our fuse configuration and
 * hook, not Electron's behaviour.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyFromAsar, V8Snapshot, FileProtocol, WasmTrapHandlers. */
const ELECTRON_DEFAULT_FUSES = '101100011';

export const STAND_IN_MARKER = 'isolab-electron-stand-in';

export function createElectronStandIn(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  mkdirSync(join(dir, 'locales'), { recursive: true });
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, ELECTRON_DEFAULT_FUSES.length]), Buffer.from(ELECTRON_DEFAULT_FUSES)]);
  const script = Buffer.from(`#!/bin/sh\n# ${STAND_IN_MARKER}\necho "This is a stand-in for Electron used to test packaging; it cannot run Isolab." >&2\nexit 1\n# fuse wire: `);
  writeFileSync(join(dir, 'electron'), Buffer.concat([script, wire, Buffer.from('\n')]));
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'LICENSE'), 'Stand-in for the Electron distribution (tests only).\n');
  writeFileSync(join(dir, 'version'), 'stand-in\n');
  return dir;
}

/**
 * electron-builder's AppImage tool folder (APPIMAGE_TOOLS_PATH, FUSE2 layout) made of Debian's
 * mksquashfs and desktop-file-validate plus a STAND-IN for the AppImage runtime, which cannot be
 * downloaded here. The AppImage built with it has a real squashfs image of the app (what the test
 * extracts and checks) behind a runtime that only says it is a stand-in: it does not start.
 */
export function createAppImageToolsStandIn(dir: string, which: (tool: string) => string | null): string {
  mkdirSync(join(dir, 'linux-x64'), { recursive: true });
  mkdirSync(join(dir, 'lib', 'x64'), { recursive: true });
  for (const tool of ['mksquashfs', 'desktop-file-validate']) {
    const path = which(tool);
    if (!path) throw new Error(`${tool} is not installed: apt-get install squashfs-tools desktop-file-utils (.ci/run does)`);
    symlinkSync(path, join(dir, 'linux-x64', tool));
  }
  writeFileSync(join(dir, 'runtime-x64'), `#!/bin/sh\n# ${STAND_IN_MARKER}: AppImage runtime\necho "stand-in AppImage runtime: this AppImage was built for a packaging test" >&2\nexit 1\n`);
  chmodSync(join(dir, 'runtime-x64'), 0o755);
  return dir;
}
