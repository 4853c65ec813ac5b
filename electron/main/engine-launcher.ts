/**
 * How Electron main starts the engine host. The bundled main script cannot locate the host entry
 * relative to itself (it lives in out/main), so the launcher is built from the app root. In
 * development that is the repository, run by the pinned Node 24; packaging replaces only this
 * function when it decides how the installed app ships its runtime. It is a real Node 24, never
 * Electron's binary in node mode: isolated-vm is built against Node's headers, not Electron's.
 */
import { join } from 'node:path';
import type { HostLauncher } from '../../engine/client/launcher.ts';
import { resolveNode24 } from '../../engine/client/launcher.ts';

export function electronLauncher(appRoot: string, resolveNode: () => string = resolveNode24): HostLauncher {
  return {
    command: resolveNode(),
    args: ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', join(appRoot, 'engine', 'host', 'main.ts')],
  };
}
