/** What the browser tests do to a page, the way a user does it. */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './serve.ts';

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
