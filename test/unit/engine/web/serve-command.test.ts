import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PORT, exposureWarning, parseServeArgs, runServe } from '../../../../engine/web/serve-command.ts';
import type { WebServer } from '../../../../engine/web/server.ts';
import { browserCommand } from '../../../../engine/web/open-browser.ts';
import { FakeEngine } from '../../../support/fake-engine.ts';
import { readPolicyFile } from '../../../../engine/client/policy-file.ts';
import { parseTeamPolicy, type ActivePolicy } from '../../../../engine/common/policy.ts';

async function writeJson(path: string, value: unknown): Promise<string> {
  await writeFile(path, JSON.stringify(value));
  return path;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-serve-cmd-'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html>');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseServeArgs', () => {
  it('defaults to loopback, the default port, and opening a browser', () => {
    const parsed = parseServeArgs([], { ISOLAB_DATA_DIR: '/data' });
    expect(parsed).toMatchObject({ help: false, options: { host: '127.0.0.1', port: DEFAULT_PORT, portExplicit: false, open: true, dataDir: '/data' } });
  });

  it('reads every option', () => {
    const parsed = parseServeArgs(['--port', '0', '--host', '0.0.0.0', '--workspace', '/w', '--no-open']);
    expect(parsed).toMatchObject({ options: { port: 0, portExplicit: true, host: '0.0.0.0', workspaceDir: '/w', open: false } });
  });

  it('refuses bad ports and unknown options with a message', () => {
    for (const argv of [['--port', 'abc'], ['--port', '70000'], ['--port', '-1'], ['--port', '1.5'], ['--bogus'], ['extra']]) {
      expect(parseServeArgs(argv), argv.join(' ')).toMatchObject({ help: false, error: expect.any(String) });
    }
  });

  it('knows --help and -h', () => {
    expect(parseServeArgs(['--help'])).toEqual({ help: true });
    expect(parseServeArgs(['-h'])).toEqual({ help: true });
  });
});

describe('exposureWarning', () => {
  it('is silent for loopback and loud for anything else', () => {
    expect(exposureWarning('127.0.0.1')).toBeNull();
    expect(exposureWarning('localhost')).toBeNull();
    expect(exposureWarning('::1')).toBeNull();
    expect(exposureWarning('0.0.0.0')).toMatch(/WARNING/);
    expect(exposureWarning('192.168.1.5')).toMatch(/WARNING.*192\.168\.1\.5/);
  });
});

describe('browserCommand', () => {
  it('uses each platform\'s opener, or $BROWSER', () => {
    expect(browserCommand('http://x', 'linux', {})).toEqual({ file: 'xdg-open', args: ['http://x'] });
    expect(browserCommand('http://x', 'darwin', {})).toEqual({ file: 'open', args: ['http://x'] });
    expect(browserCommand('http://x', 'win32', {}).file).toBe('rundll32');
    expect(browserCommand('http://x', 'linux', { BROWSER: 'firefox' })).toEqual({ file: 'firefox', args: ['http://x'] });
  });
});

describe('runServe', () => {
  async function serve(argv: string[], policy: ActivePolicy | null = null) {
    const out: string[] = [];
    const err: string[] = [];
    const opened: string[] = [];
    const engine = Object.assign(new FakeEngine(), { policy: undefined as ActivePolicy | null | undefined });
    let stop!: () => void;
    let listening!: (server: WebServer) => void;
    const up = new Promise<WebServer>((resolve) => (listening = resolve));
    const done = runServe(argv, {
      stdout: (line) => out.push(line),
      stderr: (line) => err.push(line),
      loadPolicy: () => policy,
      startEngine: async (given) => {
        engine.policy = given;
        return engine;
      },
      open: (url) => opened.push(url),
      stopSignal: new Promise<void>((resolve) => (stop = resolve)),
      onListening: listening,
    });
    return { out, err, opened, engine, done, stop, up };
  }

  it('prints one line, opens the browser, seeds the workspace, and closes the engine on stop', async () => {
    const s = await serve(['--port', '0', '--data-dir', join(dir, 'data'), '--renderer-dir', join(dir, 'renderer')]);
    const server = await s.up;
    expect(s.out).toEqual([`Isolab running at ${server.url}`]);
    expect(s.out[0]).toMatch(/^Isolab running at http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(s.opened).toEqual([server.url]);
    expect(await readdir(join(dir, 'data', 'workspace'))).toEqual(['welcome.js']);
    s.stop();
    expect(await s.done).toBe(0);
    expect(s.engine.closed).toBe(true);
  });

  it('does not open a browser with --no-open', async () => {
    const s = await serve(['--port', '0', '--no-open', '--data-dir', join(dir, 'data'), '--renderer-dir', join(dir, 'renderer')]);
    await s.up;
    expect(s.opened).toEqual([]);
    s.stop();
    await s.done;
  });

  it('warns loudly on stderr when bound beyond loopback', async () => {
    const s = await serve(['--port', '0', '--host', '0.0.0.0', '--no-open', '--data-dir', join(dir, 'data'), '--renderer-dir', join(dir, 'renderer')]);
    await s.up;
    expect(s.err.join('\n')).toMatch(/WARNING: Isolab is listening on 0\.0\.0\.0/);
    expect(s.out).toHaveLength(1);
    s.stop();
    await s.done;
  });

  it('fails with exit code 2 and a message on bad arguments, and prints help with 0', async () => {
    const bad = await serve(['--port', 'x']);
    expect(await bad.done).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--port/);
    const help = await serve(['--help']);
    expect(await help.done).toBe(0);
    expect(help.out.join('\n')).toMatch(/Usage: isolab serve/);
  });

  it('honours the team policy: web mode off, allowed interfaces, workspace, welcome script, engine gate', async () => {
    const file = join(dir, 'policy.json');
    const off: ActivePolicy = { file, policy: parseTeamPolicy(file, '{"version":1,"webMode":{"allowed":false}}') };
    const refused = await serve(['--port', '0', '--no-open', '--data-dir', join(dir, 'data'), '--renderer-dir', join(dir, 'renderer')], off);
    expect(await refused.done).toBe(2);
    expect(refused.err).toEqual([`isolab serve: web mode is turned off by the team policy (${file})`]);

    const loopbackOnly: ActivePolicy = { file, policy: parseTeamPolicy(file, '{"version":1}') };
    const exposed = await serve(['--host', '0.0.0.0', '--no-open', '--data-dir', join(dir, 'data'), '--renderer-dir', join(dir, 'renderer')], loopbackOnly);
    expect(await exposed.done).toBe(2);
    expect(exposed.err).toEqual([`isolab serve: the team policy (${file}) allows web mode only on loopback, not on 0.0.0.0`]);

    await writeFile(join(dir, 'team-welcome.js'), 'return "team"');
    const team = readPolicyFile(await writeJson(file, { version: 1, workspaceDir: join(dir, 'team-ws'), welcomeScript: 'team-welcome.js' }));
    const s = await serve(['--port', '0', '--no-open', '--data-dir', join(dir, 'data'), '--renderer-dir', join(dir, 'renderer')], team);
    await s.up;
    expect(await readdir(join(dir, 'team-ws'))).toEqual(['team-welcome.js']);
    expect(s.engine.policy).toBe(team);
    s.stop();
    expect(await s.done).toBe(0);
  });

  it('fails with exit code 2 naming the file when the policy is invalid', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runServe(['--no-open'], {
      stdout: (line) => out.push(line),
      stderr: (line) => err.push(line),
      loadPolicy: () => readPolicyFile(join(dir, 'missing-policy.json')),
    });
    expect(code).toBe(2);
    expect(err).toEqual([`isolab serve: cannot read team policy ${join(dir, 'missing-policy.json')}: no such file`]);
  });

  it('falls back to a free port when the default one is taken, but not when the port was explicit', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const explicit = await serve(['--port', String(taken), '--no-open', '--data-dir', join(dir, 'data'), '--renderer-dir', join(dir, 'renderer')]);
      expect(await explicit.done).toBe(1);
      expect(explicit.err.join('\n')).toMatch(/EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });
});
