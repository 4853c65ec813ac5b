/**
 * The debugger, the CPU profiler and stop receipts in the IDE, end to end: Debian's Chromium
 * against a real `isolab serve` (its own data folder), the renderer built from the current sources.
 * Screenshots go to test-results/e2e/ (light and dark); the time from pressing Debug to the paused
 * line painted is printed, not asserted (a shared 2-core machine would make it flaky).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIde, SHOTS, type OpenIde } from './support/page.ts';

const WAIT = { timeout: 20_000 };

let ide: OpenIde;
let page: Page;
let pageErrors: string[] = [];

interface UiHandle {
  debugger: { store: { get(): { status: string; frames: { line: number }[]; selected: number } } };
  breakpoints: { of(script: string): { line: number }[] };
  workspace: { activeName(): string | null; replace(name: string, content: string): void };
  updateSettings(patch: Record<string, unknown>): void;
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function inDark(name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(300);
  await shot(`${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForTimeout(200);
}

/** Replaces the active script's text through the workspace, as an example or a restored draft does. */
async function setCode(code: string): Promise<void> {
  await page.evaluate((text) => {
    const ui = (window as unknown as { isolab_ui: UiHandle }).isolab_ui;
    ui.workspace.replace(ui.workspace.activeName()!, text);
  }, code);
  // Monaco draws spaces as no-break spaces.
  const shown = async () => (await page.locator('.monaco-editor .view-lines').textContent())?.replace(/\u00a0/g, ' ');
  await expect.poll(shown, WAIT).toContain(code.split('\n')[0]!);
  await page.locator('.monaco-editor .view-lines').click();
}

/** The paused line as the debugger state has it (the editor's highlight is checked separately). */
const pausedLine = () =>
  page.evaluate(() => {
    const s = (window as unknown as { isolab_ui: UiHandle }).isolab_ui.debugger.store.get();
    return s.status === 'paused' ? s.frames[s.selected]!.line : null;
  });

const breakpointLines = () =>
  page.evaluate(() => {
    const ui = (window as unknown as { isolab_ui: UiHandle }).isolab_ui;
    return ui.breakpoints.of(ui.workspace.activeName() ?? '').map((b) => b.line);
  });

/** Clicks the glyph margin (the gutter left of the line numbers) beside a line. */
async function clickGutter(line: number): Promise<void> {
  const y = await page.evaluate((wanted) => {
    const numbers = [...document.querySelectorAll('.monaco-editor .line-numbers')];
    const box = numbers.find((n) => n.textContent?.trim() === String(wanted))!.getBoundingClientRect();
    return box.y + box.height / 2;
  }, line);
  const margin = (await page.locator('.monaco-editor .glyph-margin').first().boundingBox())!;
  await page.mouse.click(margin.x + margin.width / 2, y);
}

const outcome = () => page.getByRole('status', { name: 'Run outcome' });

beforeAll(async () => {
  ide = await openIde({ width: 1440, height: 900 });
  ({ page, pageErrors } = ide);
  await page.getByRole('status', { name: 'Status' }).filter({ hasText: 'Engine ready' }).waitFor(WAIT);
}, 240_000);

afterAll(async () => {
  await ide?.close();
});

describe('debugging and profiling in the IDE', () => {
  it('stops at a gutter breakpoint, shows a local in Scopes, steps over, and continues to the result', { timeout: 120_000 }, async () => {
    await setCode('function square(n) {\n  const doubled = n * 2;\n  return (doubled * n) / 2;\n}\nlet total = 0;\nfor (let i = 1; i <= 3; i++) {\n  total += square(i);\n}\nreturn total;\n');
    await clickGutter(2);
    await expect.poll(breakpointLines, WAIT).toEqual([2]);
    await expect.poll(() => page.locator('.monaco-editor .isolab-bp').count(), WAIT).toBe(1);

    await page.getByRole('button', { name: 'Debug', exact: true }).click();
    await expect.poll(pausedLine, WAIT).toBe(2);
    await page.locator('.monaco-editor .isolab-paused-line').waitFor(WAIT);
    const scopes = page.getByRole('region', { name: 'Scopes' });
    await expect.poll(() => scopes.textContent(), WAIT).toContain('n: 1');
    expect(await page.getByRole('listbox', { name: 'Frames' }).textContent()).toContain('square');
    const firstPauseMs = await page.evaluate(() => performance.getEntriesByName('isolab:debug-to-pause').at(-1)?.duration ?? -1);
    console.log(`[timing] Debug pressed → paused line painted: ${firstPauseMs.toFixed(1)} ms`);
    expect(firstPauseMs).toBeGreaterThan(0);
    await shot('20-debug-paused');
    await inDark('20-debug-paused');

    await page.getByRole('button', { name: 'Step over' }).click();
    await expect.poll(pausedLine, WAIT).toBe(3);
    await expect.poll(() => scopes.textContent(), WAIT).toContain('doubled: 2');

    // Off with the breakpoint (a second gutter click), then Continue runs to the end.
    await clickGutter(2);
    await expect.poll(breakpointLines, WAIT).toEqual([]);
    await page.getByRole('toolbar', { name: 'Debugger controls' }).getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => outcome().textContent(), WAIT).toContain('14');
    await expect.poll(() => page.locator('.monaco-editor .isolab-paused-line').count(), WAIT).toBe(0);
  });

  it('logs from a logpoint and evaluates in the paused frame from the console', { timeout: 120_000 }, async () => {
    await setCode('let sum = 0;\nfor (let i = 0; i < 3; i++) {\n  sum += i;\n}\ndebugger;\nreturn sum;\n');
    await clickGutter(3);
    await page.getByRole('tab', { name: 'Debug' }).click();
    await page.getByLabel('Breakpoint kind, line 3').selectOption('log');
    await page.getByLabel('Log message, line 3').fill('i is {i}');
    await page.getByLabel('Log message, line 3').press('Enter');
    await page.keyboard.press('F5');
    await expect.poll(pausedLine, WAIT).toBe(5);
    await page.getByRole('tab', { name: /^Console/ }).click();
    const console_ = page.getByRole('list', { name: 'Console output' });
    await page.getByLabel('Evaluate in the paused frame').fill('sum * 10');
    await page.getByLabel('Evaluate in the paused frame').press('Enter');
    await expect.poll(() => console_.textContent(), WAIT).toContain('> sum * 10');
    await expect.poll(() => console_.textContent(), WAIT).toContain('30');
    await shot('21-console-evaluate');
    await page.keyboard.press('F5');
    await expect.poll(() => outcome().textContent(), WAIT).toContain('3');
    // The logpoint's lines come from the script's own console (flushed when the run yields).
    await expect.poll(() => console_.textContent(), WAIT).toContain('i is 2');
    expect(await console_.textContent()).toContain('i is 0');
    await shot('21-logpoint-console');
    await clickGutter(3);
    await expect.poll(breakpointLines, WAIT).toEqual([]);
  });

  it('profiles the CPU: a flame chart naming the hot function, a bottom-up table, self time in the editor', { timeout: 120_000 }, async () => {
    await setCode('function fib(n) {\n  return n < 2 ? n : fib(n - 1) + fib(n - 2);\n}\nreturn fib(27);\n');
    await page.getByRole('button', { name: 'Profile CPU' }).click();
    const chart = page.getByTestId('flame-chart');
    await expect.poll(() => chart.textContent(), WAIT).toContain('fib');
    const table = page.getByRole('table', { name: 'Bottom-up' });
    await expect.poll(() => table.textContent(), WAIT).toContain('fib');
    await expect.poll(() => page.locator('.monaco-editor .isolab-heat').count(), WAIT).toBeGreaterThan(0);
    await shot('22-profile');
    await inDark('22-profile');
  });

  it('highlights the line a timed-out run stopped at and says it was busy', async () => {
    await page.evaluate(() => (window as unknown as { isolab_ui: UiHandle }).isolab_ui.updateSettings({ timeoutMs: 300 }));
    await setCode('let spins = 0;\nwhile (true) {\n  spins++;\n}\n');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => outcome().textContent(), WAIT).toContain('TimeoutError');
    await page.locator('.monaco-editor .isolab-error-line').waitFor(WAIT);
    const receipt = page.getByLabel('Where it stopped').first();
    await expect.poll(() => receipt.textContent(), WAIT).toContain('Busy');
    expect(await receipt.textContent()).toMatch(/line [23]/);
    await shot('23-stop-receipt');
    await page.evaluate(() => (window as unknown as { isolab_ui: UiHandle }).isolab_ui.updateSettings({ timeoutMs: 10_000 }));
  });

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
