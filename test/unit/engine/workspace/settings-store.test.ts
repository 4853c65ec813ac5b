import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../engine/common/api.ts';
import { SettingsStore, salvageSettings } from '../../../../engine/workspace/settings-store.ts';
import { WorkspaceError } from '../../../../engine/workspace/errors.ts';

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
