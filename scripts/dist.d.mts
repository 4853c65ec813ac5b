export interface DistResult {
  target: string;
  ok: boolean;
  files: string[];
  error?: string;
}
export interface DistOptions {
  platform?: NodeJS.Platform;
  arch?: string;
  outDir?: string;
  /** Intermediate build folder (out/, staged app, engine runtime); default build/ and out/. */
  workDir?: string;
  targets?: string[];
  electronDist?: string;
  /** Says in the log that electronDist is a stand-in, not Electron. */
  electronStandIn?: boolean;
  policyFile?: string;
  build?: boolean;
  quiet?: boolean;
  log?: (line: string) => void;
}
export const DEFAULT_TARGETS: Record<string, string[]>;
export function localElectronDist(platform?: NodeJS.Platform): string | undefined;
export function fpmEnvironment(env?: NodeJS.ProcessEnv): Record<string, string>;
export function dist(options?: DistOptions): Promise<DistResult[]>;
