/** What the browser tests do to a page, the way a user does it. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { buildRenderer } from './build.ts';
import { ROOT, startServe, type Served } from './serve.ts';

/** Screenshots of the main states, for people to look at. */
export const SHOTS = join(ROOT, 'test-results', 'e2e');

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Replaces the active tab's text the way a paste does (no auto-closing brackets). */
export async function setEditorText(page: Page, code: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
}

export interface OpenIde {
  served: Served;
  browser: Browser;
  page: Page;
  /** Uncaught errors of the page, for the suite's last check. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Builds the renderer, starts `isolab serve`, opens it in Chromium and waits for an editable editor. */
export async function openIde(viewport: { width: number; height: number }): Promise<OpenIde> {
  mkdirSync(SHOTS, { recursive: true });
  const served = await startServe({ rendererDir: buildRenderer() });
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport, colorScheme: 'light' })).newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(served.url);
  await page.locator('[data-testid=editor][data-ready=true]').waitFor({ timeout: 20_000 });
  return {
    served,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      await served.stop();
      if (pageErrors.length) console.log('page errors:', pageErrors);
    },
  };
}
