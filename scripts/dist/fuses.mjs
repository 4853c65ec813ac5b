// Electron fuses flipped on the packaged binary (electron-builder's afterPack step), so that the
// shipped executable cannot be turned into a general-purpose Node (RunAsNode, NODE_OPTIONS,
// --inspect), keeps cookies encrypted at rest, and loads only the app in its own asar, checked
// against the integrity hash electron-builder embeds (macOS and Windows; Electron does not
// validate asar integrity on Linux yet). The engine host does not need RunAsNode: it runs on its
// own Node 24 (resources/engine/bin/node).
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { join } from 'node:path';

export const FUSES = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
};

/** The Electron executable electron-builder left in appOutDir, per platform. */
export function packagedExecutable(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, packager.executableName);
}

/** electron-builder afterPack hook. Fails the build if the binary has no fuse wire: never ships unflipped. */
export async function afterPackFlipFuses(context) {
  const executable = packagedExecutable(context);
  // Arm64 macOS binaries carry an ad-hoc signature that flipping invalidates; electron-builder
  // signs properly after this hook when a certificate is configured.
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && context.arch === 3; // builder-util Arch.arm64
  await flipFuses(executable, { version: FuseVersion.V1, resetAdHocDarwinSignature, ...FUSES });
  const wire = await getCurrentFuseWire(executable);
  for (const [index, enabled] of Object.entries(FUSES)) {
    const expected = enabled ? 49 : 48; // '1' / '0' in the wire
    if (wire[index] !== expected) throw new Error(`fuse ${FuseV1Options[index]} did not flip on ${executable}`);
  }
  process.stdout.write(`  • fuses flipped  ${Object.entries(FUSES).map(([i, on]) => `${FuseV1Options[i]}=${on ? 'on' : 'off'}`).join(' ')}\n`);
}
