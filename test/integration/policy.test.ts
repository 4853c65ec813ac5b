/**
 * The team policy enforced by a real engine: EngineClient lowers a run's limits to the policy's
 * maximums (and the run really ends at the lowered deadline, with the reason in its console),
 * refuses when the policy says so, and the `isolab` command shows both.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';
import { readPolicyFile } from '../../engine/client/policy-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'isolab-policy-it-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROOT = join(import.meta.dirname, '../..');

function policyFile(name: string, policy: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(policy));
  return path;
}

describe('team policy at the engine boundary', () => {
  it('lowers a run\'s time limit to the maximum, and the run ends there', async () => {
    const file = policyFile('clamp.json', { version: 1, limits: { timeoutMs: { max: 300 } }, contact: 'ask #dev-tools' });
    const engine = await EngineClient.start({ policy: readPolicyFile(file), host: { poolSize: 1 } });
    try {
      const result = await engine.run({ code: 'await new Promise(() => {})', timeoutMs: 60_000 });
      expect(result).toMatchObject({ ok: false, error: { type: 'TimeoutError' } });
      expect(result.timing.totalMs).toBeLessThan(5_000);
      expect(result.logs[0]).toEqual({ level: 'warn', timeMs: 0, text: `Team policy: time limit lowered from 60000 to 300 ms, the maximum set by the team policy (${file}); ask #dev-tools` });
      const report = await engine.leak({ code: 'globalThis.x = 1', iterations: 3, timeoutMs: 50_000 });
      expect(report.reasons[0]).toMatch(/^Team policy: time limit lowered from 50000 to 300 ms/);
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('refuses a run over the maximum without running it', async () => {
    const file = policyFile('refuse.json', { version: 1, overLimit: 'refuse', limits: { memoryLimitMb: { max: 64 } } });
    const engine = await EngineClient.start({ policy: readPolicyFile(file), host: { poolSize: 1 } });
    try {
      const result = await engine.run({ code: 'globalThis.ran = true; return 1', memoryLimitMb: 512 });
      expect(result).toMatchObject({ ok: false, error: { type: 'PolicyError', message: `Refused by the team policy (${file}): a memory limit of 512 MB is over the team's maximum of 64 MB` } });
      expect(await engine.run({ code: 'return typeof globalThis.ran', memoryLimitMb: 64, reuseContext: true })).toMatchObject({ ok: true, value: 'undefined' });
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('shows the lowered limit in `isolab run` output', () => {
    const file = policyFile('cli.json', { version: 1, limits: { timeoutMs: { max: 200 } } });
    const script = join(dir, 'forever.js');
    writeFileSync(script, 'for (;;) {}');
    const result = spawnSync('npx', ['isolab', 'run', script, '--timeout', '9000'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ISOLAB_POLICY: file } });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`Team policy: time limit lowered from 9000 to 200 ms, the maximum set by the team policy (${file})`);
    expect(result.stdout).toMatch(/TimeoutError/);
  }, 30_000);
});
