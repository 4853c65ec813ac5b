/**
 * `isolab serve`: the IDE in a browser tab, for headless boxes and for end-to-end tests where
 * Electron cannot be installed. The lead's CLI (engine/cli/main.ts) dispatches to runServe.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { Engine } from '../client/api.ts';
import { loadTeamPolicy, policyWelcomeScript } from '../client/policy-file.ts';
import { webModeRefusal, type ActivePolicy } from '../common/policy.ts';
import { appPaths, defaultAppDataDir } from '../workspace/app-data.ts';
import { SettingsStore } from '../workspace/settings-store.ts';
import { Workspace } from '../workspace/workspace.ts';
import { openBrowser } from './open-browser.ts';
import { DEFAULT_RENDERER_DIR, ensureRendererBuilt } from './renderer-build.ts';
import { isLoopbackHost } from './security.ts';
import { startWebServer } from './server.ts';
import type { WebServer } from './server.ts';

export const DEFAULT_PORT = 4178;

export const SERVE_HELP = `Usage: isolab serve [options]

Runs the Isolab IDE in your browser: a local web server for the renderer, its WebSocket and a
JSON API (POST /api/run, /api/call, /api/leak; GET /api/health). Prints one line,
"Isolab running at http://127.0.0.1:PORT/?token=TOKEN", and opens it in a browser.

Options:
  --port N            port to listen on (default ${DEFAULT_PORT}, or a free one if that is taken;
                      0 always picks a free port)
  --host ADDR         interface to bind (default 127.0.0.1). Anything but loopback exposes code
                      execution to your network, protected only by the token.
  --workspace DIR     folder of scripts (default: the team policy's workspaceDir, else
                      <data dir>/workspace)
  --data-dir DIR      where settings.json and the default workspace live
                      (default: $ISOLAB_DATA_DIR or the desktop app's user-data folder)
  --renderer-dir DIR  a built renderer to serve (default: out/renderer, built on demand)
  --no-open           do not open a browser
  -h, --help          show this help

A team policy (see the README) may turn web mode off or limit the interfaces it may bind.

Every API call and the WebSocket need the token: "Authorization: Bearer TOKEN", or the cookie the
page gets when the printed URL is opened. Stop with Ctrl+C.`;

export interface ServeOptions {
  port: number;
  /** False when the port is our default: a taken default falls back to a free port. */
  portExplicit: boolean;
  host: string;
  workspaceDir?: string;
  dataDir: string;
  rendererDir: string;
  open: boolean;
}

export type ParsedServeArgs = { help: true } | { help: false; options: ServeOptions } | { help: false; error: string };

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedServeArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        workspace: { type: 'string' },
        'data-dir': { type: 'string' },
        'renderer-dir': { type: 'string' },
        open: { type: 'boolean', default: true },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { help: false, error: (error as Error).message };
  }
  if (values.help) return { help: true };
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || (values.port !== undefined && !/^\d+$/.test(values.port))) {
    return { help: false, error: `--port must be a whole number from 0 to 65535, not ${JSON.stringify(values.port)}` };
  }
  const host = values.host ?? '127.0.0.1';
  if (!host.trim()) return { help: false, error: '--host needs an address' };
  return {
    help: false,
    options: {
      port,
      portExplicit: values.port !== undefined,
      host,
      workspaceDir: values.workspace === undefined ? undefined : resolve(values.workspace),
      dataDir: resolve(values['data-dir'] ?? defaultAppDataDir(env)),
      rendererDir: resolve(values['renderer-dir'] ?? DEFAULT_RENDERER_DIR),
      open: values.open ?? true,
    },
  };
}

export function exposureWarning(host: string): string | null {
  if (isLoopbackHost(host)) return null;
  const line = '!'.repeat(78);
  return [
    line,
    `!! WARNING: Isolab is listening on ${host}, not on 127.0.0.1.`,
    '!! Anyone who can reach this address and learns the token can run code on this machine.',
    '!! The connection is plain HTTP: the token travels unencrypted. Use only on a network you trust.',
    line,
  ].join('\n');
}

export interface ServeDeps {
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  /** The team policy in force (default: the one installed on this machine). */
  loadPolicy?: () => ActivePolicy | null;
  startEngine?: (policy: ActivePolicy | null) => Promise<Engine>;
  open?: (url: string) => void;
  /** Resolves when the server should stop; default: SIGINT or SIGTERM. */
  stopSignal?: Promise<unknown>;
  /** Called once the server is up (tests use it to talk to the server). */
  onListening?: (server: WebServer) => void;
}

async function startEngineClient(policy: ActivePolicy | null): Promise<Engine> {
  const { EngineClient } = await import('../client/engine-client.ts');
  // A long-lived server keeps a warm spare engine host: replacing one takes milliseconds.
  return EngineClient.start({ policy, spareHost: true });
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function runServe(argv: string[], deps: ServeDeps = {}): Promise<number> {
  const out = deps.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = deps.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const parsed = parseServeArgs(argv);
  if (parsed.help) {
    out(SERVE_HELP);
    return 0;
  }
  if ('error' in parsed) {
    err(`isolab serve: ${parsed.error}\nRun \`isolab serve --help\` for the options.`);
    return 2;
  }
  const options = parsed.options;
  let policy: ActivePolicy | null;
  try {
    policy = (deps.loadPolicy ?? loadTeamPolicy)();
  } catch (error) {
    err(`isolab serve: ${(error as Error).message}`);
    return 2;
  }
  const refusal = webModeRefusal(options.host, policy);
  if (refusal) {
    err(`isolab serve: ${refusal}`);
    return 2;
  }
  const warning = exposureWarning(options.host);
  if (warning) err(warning);

  let engine: Engine | null = null;
  let server: WebServer | null = null;
  try {
    await ensureRendererBuilt(options.rendererDir, { log: err });
    const paths = appPaths(options.dataDir, options.workspaceDir ?? policy?.policy.workspaceDir);
    const workspace = await Workspace.open(paths.workspaceDir, { seedWelcome: true, welcome: policyWelcomeScript(policy) });
    const settings = new SettingsStore(paths.settingsFile, policy);
    engine = await (deps.startEngine ?? startEngineClient)(policy);
    const common = { engine, workspace, settings, rendererDir: options.rendererDir, host: options.host };
    try {
      server = await startWebServer({ ...common, port: options.port });
    } catch (error) {
      if (options.portExplicit || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      err(`Isolab: port ${options.port} is taken; using a free port instead.`);
      server = await startWebServer({ ...common, port: 0 });
    }
  } catch (error) {
    err(`isolab serve: ${(error as Error).message}`);
    await engine?.close().catch(() => undefined);
    return 1;
  }

  out(`Isolab running at ${server.url}`);
  deps.onListening?.(server);
  if (options.open) (deps.open ?? ((url) => openBrowser(url, (message) => err(`Isolab: ${message}`))))(server.url);

  await (deps.stopSignal ?? untilSignal());
  await server.close();
  await engine.close();
  return 0;
}
