/**
 * How an engine host process is started. Which Node and which host entry is decided once, in
 * runtime.ts (packaged app or repository); this turns that decision into a command line.
 */
import { HOST_NODE_FLAGS, resolveEngineRuntime, type EngineRuntime } from './runtime.ts';

export interface HostLauncher {
  /** The Node ≥ 24 executable. */
  command: string;
  /** Arguments before the host's own options (flags and the entry script). */
  args: string[];
  env?: Record<string, string>;
}

export function launcherFor(runtime: EngineRuntime): HostLauncher {
  return {
    command: runtime.node,
    args: [...HOST_NODE_FLAGS, runtime.hostEntry],
    ...(runtime.guestBundle ? { env: { ISOLAB_GUEST_BUNDLE: runtime.guestBundle } } : {}),
  };
}

/** The development launcher (this repository's host on the pinned Node 24). */
export function defaultLauncher(): HostLauncher {
  return launcherFor(resolveEngineRuntime());
}
