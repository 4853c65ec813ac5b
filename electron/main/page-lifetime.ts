/**
 * When the page inside a webContents goes away: a reload or navigation of the main frame, a
 * renderer crash, or the window closing. Electron main then ends that page's caller (engine/app),
 * which cancels the runs it started, as closing a tab does in web mode. Takes the webContents as a
 * parameter so the unit tests can drive it with a fake.
 */

/** The parts of WebContents whose events end a page. */
export interface PageContents {
  on(event: 'did-start-navigation', listener: (details: { isMainFrame: boolean; isSameDocument: boolean }) => void): unknown;
  on(event: 'render-process-gone' | 'destroyed', listener: () => void): unknown;
}

export function onPageGone(contents: PageContents, gone: () => void): void {
  // In-page navigations (hash, pushState) keep the same document, and with it the page's state.
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) gone();
  });
  contents.on('render-process-gone', () => gone());
  contents.on('destroyed', () => gone());
}
