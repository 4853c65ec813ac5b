export type ElectronLookup = { ok: true; binary: string } | { ok: false; kind: 'missing' | 'no-display'; reason: string };
export type InstallResult = { ok: true; ms: number } | { ok: false; ms: number; reason: string };
export function hasDisplay(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): boolean;
export function findElectron(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform, packageDir?: string | null): ElectronLookup;
export const INSTALL_TIMEOUT_MS: number;
export function runElectronInstaller(packageDir?: string | null, spawn?: typeof import('node:child_process').spawnSync): InstallResult;
export function ensureElectron(options?: {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  find?: (env: NodeJS.ProcessEnv, platform: NodeJS.Platform) => ElectronLookup;
  install?: () => InstallResult;
  log?: (line: string) => void;
}): ElectronLookup;
