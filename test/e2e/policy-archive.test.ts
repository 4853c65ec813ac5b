/**
 * The team policy and workspace archives in the IDE, end to end: Debian's Chromium against a real
 * `isolab serve` started with ISOLAB_POLICY pointing at a test policy. The locked setting is shown
 * disabled with its lock and reason, a limit's input stops at the team's maximum, the examples
 * menu shows the team's examples only, the workspace starts with the team's welcome script, and a
 * workspace is exported (a browser download) and imported back (the file chooser) with the
 * summary on screen. Screenshots go to test-results/e2e/policy-*.png.
 */
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { launchChromium } from './support/browser.ts';
import { buildRenderer } from './support/build.ts';
import { SHOTS, screenshot, setEditorText } from './support/page.ts';
import { startServe, type Served } from './support/serve.ts';

const WAIT = { timeout: 20_000 };
const CONTACT = 'Ask #dev-tools for more memory';

let policyDir: string;
let policyFile: string;
let served: Served;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string) => screenshot(page, name);

const setCode = (code: string) => setEditorText(page, code);

const workspaceFile = (name: string) => join(served.dataDir, 'workspace', name);
const fileText = (name: string) => (existsSync(workspaceFile(name)) ? readFileSync(workspaceFile(name), 'utf8') : '');
const dialog = () => page.getByRole('dialog');

async function openWorkspaceMenu(item: string, screenshot?: string): Promise<void> {
  await page.getByRole('button', { name: 'Workspace' }).click();
  const entry = page.getByRole('menuitem', { name: new RegExp(`^${item}`) });
  await entry.waitFor(WAIT);
  if (screenshot) await shot(screenshot);
  await entry.click();
}

/** A workspace archive as `isolab workspace export` writes it, of `count` small scripts. */
async function bulkArchive(file: string, count: number): Promise<void> {
  const zip = new yazl.ZipFile();
  const scripts = Array.from({ length: count }, (_, i) => `bulk-${String(i).padStart(4, '0')}.js`);
  for (const name of scripts) zip.addBuffer(Buffer.from(`return '${name}';\n`), `scripts/${name}`);
  zip.addBuffer(Buffer.from(JSON.stringify({ format: 'isolab-workspace', version: 1, exportedAt: new Date().toISOString(), scripts })), 'isolab-workspace.json');
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  policyDir = mkdtempSync(join(tmpdir(), 'isolab-e2e-policy-'));
  mkdirSync(join(policyDir, 'team-examples'));
  writeFileSync(join(policyDir, 'team-examples', 'retry-with-backoff.js'), '// Retry with backoff\n// How the team retries a flaky call. Run it and watch the delays.\nreturn [100, 200, 400];\n');
  writeFileSync(join(policyDir, 'team-welcome.js'), "// Welcome to the team's Isolab.\nreturn 'hello team';\n");
  policyFile = join(policyDir, 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      version: 1,
      contact: CONTACT,
      limits: { timeoutMs: { max: 30_000 } },
      settings: { memoryLimitMb: 64 },
      locked: ['memoryLimitMb'],
      examples: { builtIn: false, folder: 'team-examples' },
      welcomeScript: 'team-welcome.js',
    }),
  );
  served = await startServe({ rendererDir: buildRenderer(), env: { ISOLAB_POLICY: policyFile } });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', acceptDownloads: true });
  page = await context.newPage();
  // Playwright intercepts file choosers only once a 'filechooser' listener exists, and turns that on
  // asynchronously: a chooser opened right after the first waitForEvent can slip past it. On from the start.
  page.on('filechooser', () => {});
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(served.url);
  await page.locator('[data-testid=editor][data-ready=true]').waitFor(WAIT);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  if (policyDir) rmSync(policyDir, { recursive: true, force: true });
  if (pageErrors.length) console.log('page errors:', pageErrors);
});

describe('the IDE under a team policy', () => {
  it("starts the workspace with the team's welcome script", async () => {
    await expect.poll(() => page.getByRole('tab', { name: 'team-welcome.js' }).count(), WAIT).toBe(1);
    expect(fileText('team-welcome.js')).toContain("the team's Isolab");
  });

  it('shows the locked setting disabled, with a lock and the reason, and bounds the limits by the maximums', async () => {
    await page.getByRole('button', { name: 'Limits' }).click();
    const memory = page.getByRole('spinbutton', { name: 'Memory limit (MB)' });
    await expect.poll(() => memory.isDisabled(), WAIT).toBe(true);
    expect(await memory.inputValue()).toBe('64');
    const reason = `Locked by the team policy (${policyFile}); ${CONTACT}`;
    const note = page.getByRole('note', { name: 'Locked setting' });
    expect(await note.textContent()).toContain(reason);
    expect(await memory.evaluate((el) => el.getAttribute('aria-describedby') === el.closest('.setting')!.querySelector('[role=note]')!.id)).toBe(true);
    // The lock beside the label, and the one in the note.
    expect(await page.locator('.setting.locked label .lock-icon').count()).toBe(1);

    const timeout = page.getByRole('spinbutton', { name: 'Timeout (ms)', exact: true });
    expect(await timeout.getAttribute('max')).toBe('30000');
    await timeout.fill('60000');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'at most' }).textContent(), WAIT).toBe('at most 30,000 (team policy)');
    await timeout.fill('20000');
    await shot('policy-01-locked-setting');
    await page.keyboard.press('Escape');
    await expect.poll(() => readFileSync(join(served.dataDir, 'settings.json'), 'utf8'), WAIT).toContain('"timeoutMs": 20000');
  });

  it("shows the team's examples, and not Isolab's when the policy turns them off", async () => {
    await page.getByRole('button', { name: 'Examples' }).click();
    const team = page.getByRole('group', { name: 'Team examples' });
    await team.getByRole('menuitem', { name: 'Retry with backoff' }).waitFor(WAIT);
    expect(await page.getByRole('menuitem', { name: 'A leaking closure' }).count()).toBe(0);
    await shot('policy-02-team-examples');
    await team.getByRole('menuitem', { name: 'Retry with backoff' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'retry-with-backoff.js' }).getAttribute('aria-selected'), WAIT).toBe('true');
  });
});

describe('workspace export and import in a browser tab', () => {
  let archive: string;

  it('exports the workspace as a download, saving the open tabs first', async () => {
    await setCode("// typed, not yet saved\nreturn 'exported';\n");
    const download = page.waitForEvent('download', WAIT);
    await openWorkspaceMenu('Export workspace', 'policy-03a-workspace-menu');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^isolab-workspace-\d{4}-\d\d-\d\d\.zip$/);
    archive = join(policyDir, file.suggestedFilename());
    await file.saveAs(archive);
    expect(readFileSync(archive).subarray(0, 2).toString()).toBe('PK');
    await expect.poll(() => dialog().getByRole('heading').textContent(), WAIT).toBe('Workspace exported');
    expect(await dialog().textContent()).toMatch(/Exported 2 scripts and the settings \([\d.]+ (B|KB)\) as isolab-workspace-.*\.zip/);
    expect(fileText('retry-with-backoff.js')).toContain('typed, not yet saved');
    await shot('policy-03-exported');
    await dialog().getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog().count(), WAIT).toBe(0);
  });

  it("exports from the editor's command palette too", async () => {
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('F1');
    await page.keyboard.type('Export Workspace');
    const download = page.waitForEvent('download', WAIT);
    await page.keyboard.press('Enter');
    expect((await download).suggestedFilename()).toMatch(/^isolab-workspace-.*\.zip$/);
    await expect.poll(() => dialog().getByRole('heading').textContent(), WAIT).toBe('Workspace exported');
    await dialog().getByRole('button', { name: 'Close' }).click();
  });

  it('moves through the Workspace menu with the arrow keys and opens the file chooser with Enter', async () => {
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('role') + ': ' + document.activeElement?.querySelector('span')?.textContent);
    // One archive operation at a time: the previous test's export must have finished first.
    const step = () => page.evaluate(() => (window as unknown as { isolab_ui: { archive: { state: { step: string } } } }).isolab_ui.archive.state.step);
    await expect.poll(step, WAIT).toBe('idle');
    await page.getByRole('button', { name: 'Workspace' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused, WAIT).toBe('menuitem: Export workspace…');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menuitem: Import workspace…');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menuitem: Export workspace…');
    await page.keyboard.press('End');
    expect(await focused()).toBe('menuitem: Import workspace…');
    const chooser = page.waitForEvent('filechooser', WAIT);
    await page.keyboard.press('Enter');
    await (await chooser).setFiles([]);
    await expect.poll(() => page.getByRole('menu', { name: 'Workspace' }).count(), WAIT).toBe(0);
  });

  it('imports it back through the file chooser, renaming conflicts, and shows what it did', async () => {
    // Make the import meet a conflict (same name, other content) and a changed setting.
    await setCode("return 'changed here since';\n");
    await expect.poll(() => fileText('retry-with-backoff.js'), WAIT).toContain('changed here since');
    await page.getByRole('button', { name: 'Limits' }).click();
    await page.getByRole('spinbutton', { name: 'Timeout (ms)', exact: true }).fill('5000');
    await page.keyboard.press('Escape');
    await expect.poll(() => readFileSync(join(served.dataDir, 'settings.json'), 'utf8'), WAIT).toContain('"timeoutMs": 5000');

    const chooser = page.waitForEvent('filechooser', WAIT);
    await openWorkspaceMenu('Import workspace');
    await (await chooser).setFiles(archive);
    await expect.poll(() => dialog().getByRole('heading').first().textContent(), WAIT).toBe('Workspace imported');
    const summary = dialog().getByLabel('Import summary');
    expect(await summary.textContent()).toContain(`Imported 1 script from ${archive.split('/').pop()} into`);
    expect(await summary.getByRole('region', { name: 'Renamed scripts' }).textContent()).toContain('retry-with-backoff.js → retry-with-backoff-2.js');
    expect(await summary.getByRole('region', { name: 'Skipped' }).textContent()).toContain('team-welcome.js: already here with the same content');
    expect(await summary.getByRole('region', { name: 'Settings' }).textContent()).toContain('Applied: Timeout.');
    expect(await summary.textContent()).toContain(`Team policy in force: ${policyFile}`);
    expect(fileText('retry-with-backoff-2.js')).toContain('typed, not yet saved');
    expect(fileText('retry-with-backoff.js')).toContain('changed here since');
    await shot('policy-04-import-summary');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await shot('policy-05-import-summary-dark');
    await dialog().getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Limits' }).click();
    expect(await page.getByRole('spinbutton', { name: 'Timeout (ms)', exact: true }).inputValue()).toBe('20000');
    await shot('policy-06-locked-setting-dark');
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('refuses a file that is not a workspace archive, with the reason, and imports nothing', async () => {
    const junk = join(policyDir, 'notes.zip');
    writeFileSync(junk, 'not a zip at all');
    const chooser = page.waitForEvent('filechooser', WAIT);
    await openWorkspaceMenu('Import workspace');
    await (await chooser).setFiles(junk);
    await expect.poll(() => dialog().getByRole('alert').textContent(), WAIT).toMatch(/^notes\.zip cannot be imported: not a readable zip archive .*; nothing was imported$/);
    await shot('policy-07-import-refused');
    await dialog().getByRole('button', { name: 'Close' }).click();
  });

  it('shows the progress of a large import, script by script', async () => {
    const bulk = join(policyDir, 'bulk.zip');
    await bulkArchive(bulk, 2_000);
    const chooser = page.waitForEvent('filechooser', WAIT);
    await openWorkspaceMenu('Import workspace');
    await (await chooser).setFiles(bulk);
    // Determinate: the backend's archiveProgress events reached the bar.
    await page.locator('progress[aria-label="Archive progress"][max="2000"]').waitFor({ timeout: 60_000 });
    await shot('policy-08-import-progress');
    expect(await dialog().textContent()).toMatch(/(Checking the archive|Writing scripts)….*of 2,000 scripts/);
    await expect.poll(() => dialog().getByRole('heading').first().textContent(), { timeout: 120_000 }).toBe('Workspace imported');
    expect(await dialog().getByLabel('Import summary').textContent()).toContain('Imported 2,000 scripts from bulk.zip');
    expect(fileText('bulk-1999.js')).toBe("return 'bulk-1999.js';\n");
    await dialog().getByRole('button', { name: 'Close' }).click();
  }, 180_000);

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
