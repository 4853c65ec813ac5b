/**
 * What the client needs of an engine host process, and the real one (a Node child process with an
 * IPC channel). Tests hand the client a stand-in (test/unit/engine/client/fake-host.ts).
 */
import { spawn } from 'node:child_process';
import type { HostOptions } from '../common/host-options.ts';
import type { HostRequest } from '../common/protocol.ts';
import type { HostLauncher } from './launcher.ts';
import { HOST_ENV_DEFAULTS } from './runtime.ts';

export interface HostProcess {
  readonly pid: number | undefined;
  /** The IPC channel is open. */
  readonly connected: boolean;
  /** One IPC packet: the requests of one turn of the event loop. */
  send(packet: HostRequest[]): void;
  kill(): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** The process could not be started at all. */
  onError(listener: (error: Error) => void): void;
  onStderr(listener: (chunk: string) => void): void;
}

export type SpawnHost = (launcher: HostLauncher, options: HostOptions) => HostProcess;

export const spawnHostProcess: SpawnHost = (launcher, options) => {
  const child = spawn(launcher.command, [...launcher.args, `--options=${JSON.stringify(options)}`], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...HOST_ENV_DEFAULTS, ...process.env, ...launcher.env },
    serialization: 'json',
  });
  child.stderr?.setEncoding('utf8');
  return {
    get pid() {
      return child.pid;
    },
    get connected() {
      return child.connected;
    },
    send: (packet) => void child.send(packet),
    kill: () => void child.kill('SIGKILL'),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.on('exit', listener),
    onError: (listener) => void child.on('error', listener),
    onStderr: (listener) => void child.stderr?.on('data', listener),
  };
};
