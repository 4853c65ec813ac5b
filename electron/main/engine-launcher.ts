/**
 * How Electron main starts the engine host: a packaged app uses the Node runtime and host bundle
 * under its resources folder, a development run uses the repository's. The decision itself lives
 * in engine/client/runtime.ts; this only says which case Electron is in. It is always a real
 * Node 24, never Electron's binary in node mode: isolated-vm is built against Node's headers.
 */
import type { HostLauncher } from '../../engine/client/launcher.ts';
import { launcherFor } from '../../engine/client/launcher.ts';
import { currentRuntimeContext, resolveEngineRuntime, type RuntimeContext, type RuntimeLocation } from '../../engine/client/runtime.ts';

export interface ElectronAppInfo {
  isPackaged: boolean;
  /** process.resourcesPath */
  resourcesPath: string;
  /** app.getAppPath(): the repository in development (the bundled main cannot find it from itself). */
  appPath: string;
}

export function electronLauncher(app: ElectronAppInfo, context: (location: RuntimeLocation) => RuntimeContext = currentRuntimeContext): HostLauncher {
  const location = app.isPackaged ? { resourcesPath: app.resourcesPath } : { repoRoot: app.appPath };
  return launcherFor(resolveEngineRuntime(context(location)));
}
