import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../engine/common/api.ts';
import { SettingsStore, salvageSettings } from '../../../../engine/workspace/settings-store.ts';
import { WorkspaceError } from '../../../../engine/workspace/errors.ts';
import { parseTeamPolicy, type ActivePolicy } from '../../../../engine/common/policy.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SettingsStore', () => {
  it('starts from the defaults when there is no file', async () => {
    const store = new SettingsStore(join(dir, 'nested', 'settings.json'));
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('saves a partial update as a whole, valid file', async () => {
    const path = join(dir, 'nested', 'settings.json');
    const store = new SettingsStore(path);
    const next = await store.update({ timeoutMs: 2000, theme: 'dark' });
    expect(next).toEqual({ ...DEFAULT_SETTINGS, timeoutMs: 2000, theme: 'dark' });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(next);
    expect(await new SettingsStore(path).get()).toEqual(next);
  });

  it('refuses an invalid update and keeps the old settings', async () => {
    const store = new SettingsStore(join(dir, 'settings.json'));
    const error = await store.update({ memoryLimitMb: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceError);
    expect((error as WorkspaceError).type).toBe('InvalidRequestError');
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('serialises concurrent updates so none is lost', async () => {
    const store = new SettingsStore(join(dir, 'settings.json'));
    await Promise.all([store.update({ timeoutMs: 5 }), store.update({ theme: 'light' }), store.update({ reuseContext: true })]);
    expect(await store.get()).toMatchObject({ timeoutMs: 5, theme: 'light', reuseContext: true });
  });

  it('salvages the valid fields of a damaged file', async () => {
    const path = join(dir, 'settings.json');
    await writeFile(path, JSON.stringify({ timeoutMs: 1234, memoryLimitMb: 'lots', theme: 'neon' }));
    expect(await new SettingsStore(path).get()).toEqual({ ...DEFAULT_SETTINGS, timeoutMs: 1234 });
  });

  it('falls back to defaults for a file that is not JSON', async () => {
    const path = join(dir, 'settings.json');
    await writeFile(path, '{ not json');
    expect(await new SettingsStore(path).get()).toEqual(DEFAULT_SETTINGS);
    expect(salvageSettings(['nope'])).toEqual(DEFAULT_SETTINGS);
  });
});

describe('SettingsStore under a team policy', () => {
  const file = '/etc/isolab/policy.json';
  const policy: ActivePolicy = {
    file,
    policy: parseTeamPolicy(file, JSON.stringify({ version: 1, limits: { timeoutMs: { default: 3000, max: 20000 } }, settings: { theme: 'dark' }, locked: ['theme'] })),
  };

  it('starts from the policy\'s values, holds locked ones, and keeps limits under the maximums', async () => {
    const path = join(dir, 'settings.json');
    expect(await new SettingsStore(path, policy).get()).toEqual({ ...DEFAULT_SETTINGS, timeoutMs: 3000, theme: 'dark' });
    await writeFile(path, JSON.stringify({ ...DEFAULT_SETTINGS, timeoutMs: 500000, theme: 'light', reuseContext: true }));
    expect(await new SettingsStore(path, policy).get()).toEqual({ ...DEFAULT_SETTINGS, timeoutMs: 20000, theme: 'dark', reuseContext: true });
  });

  it('refuses to change a locked setting with ForbiddenError naming the policy, and allows the rest', async () => {
    const store = new SettingsStore(join(dir, 'settings.json'), policy);
    const refused = await store.update({ theme: 'light' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WorkspaceError);
    expect(refused).toMatchObject({ type: 'ForbiddenError', message: `theme is locked by the team policy (${file})` });
    await expect(store.update({ timeoutMs: 25000 })).rejects.toMatchObject({ type: 'ForbiddenError', message: expect.stringContaining('over the maximum of 20000') });
    expect(await store.update({ reuseContext: true, timeoutMs: 15000 })).toMatchObject({ reuseContext: true, timeoutMs: 15000, theme: 'dark' });
  });
});
