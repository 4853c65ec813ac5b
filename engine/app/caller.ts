/**
 * Who is calling the Backend: one connected page, a browser tab's WebSocket or an Electron
 * webContents. Both transports keep their pages in a `Callers` table and pass each call its page's
 * Caller, which gives the same rules on both:
 * - a run's result reaches the page that asked once, as the reply; the other pages get it as a
 *   `runFinished`/`leakFinished` event (with 100,000 console lines, a second copy is real time);
 * - when a page goes away (tab or window closed, reload, renderer crash), the runs it started are
 *   cancelled: nobody is left to see their results, and an abandoned endless loop would keep an
 *   isolate busy until its deadline.
 */

/** What the Backend tells a caller about the runs it starts. Both hooks are optional for tests. */
export interface CallContext {
  runStarted?(runId: string): void;
  runEnded?(runId: string): void;
  /** Whether this page started the run (and may so debug it); a context without it owns every run. */
  owns?(runId: string): boolean;
}

export type CancelRun = (runId: string) => void;

export class Caller implements CallContext {
  private readonly runs = new Set<string>();
  private readonly cancel: CancelRun;

  constructor(cancel: CancelRun) {
    this.cancel = cancel;
  }

  runStarted(runId: string): void {
    this.runs.add(runId);
  }

  runEnded(runId: string): void {
    this.runs.delete(runId);
  }

  owns(runId: string): boolean {
    return this.runs.has(runId);
  }

  /** Runs this page started that have not ended yet. */
  get runIds(): string[] {
    return [...this.runs];
  }

  cancelRuns(): void {
    const runIds = this.runIds;
    this.runs.clear();
    for (const runId of runIds) this.cancel(runId);
  }
}

/** The connected pages of one transport, by whatever identifies a page there. */
export class Callers<Page> {
  private readonly pages = new Map<Page, Caller>();
  private readonly cancel: CancelRun;

  constructor(cancel: CancelRun) {
    this.cancel = cancel;
  }

  /** The page's caller, made on first use. */
  of(page: Page): Caller {
    let caller = this.pages.get(page);
    if (!caller) {
      caller = new Caller(this.cancel);
      this.pages.set(page, caller);
    }
    return caller;
  }

  find(page: Page): Caller | undefined {
    return this.pages.get(page);
  }

  /** The page went away: cancel what it started and forget it (a reload comes back as a new page). */
  end(page: Page): void {
    const caller = this.pages.get(page);
    this.pages.delete(page);
    caller?.cancelRuns();
  }

  get size(): number {
    return this.pages.size;
  }
}
