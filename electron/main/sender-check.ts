/**
 * "Check, then parse": before an IPC handler looks at a payload, it makes sure the message came
 * from our window's top frame, loaded from our own origin. An iframe, a navigated-away page or
 * another window gets a ForbiddenError reply and nothing else.
 */
import { isTrustedUrl } from './renderer-origin.ts';

/** The parts of Electron's IpcMainInvokeEvent the check reads. */
export interface SenderInfo {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export interface SenderCheckOptions {
  /** The id of our window's webContents (undefined while no window exists). */
  webContentsId: () => number | undefined;
  origins: ReadonlySet<string>;
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string };

export function checkSender(event: SenderInfo, options: SenderCheckOptions): SenderVerdict {
  const expectedId = options.webContentsId();
  if (expectedId === undefined || event.sender.id !== expectedId) return { ok: false, reason: 'the message did not come from the Isolab window' };
  const frame = event.senderFrame;
  // A null frame means it navigated or was destroyed after sending: we cannot vouch for it.
  if (!frame) return { ok: false, reason: 'the sending frame is gone' };
  if (frame.parent !== null) return { ok: false, reason: 'only the top frame may call the backend' };
  if (!isTrustedUrl(frame.url, options.origins)) return { ok: false, reason: `untrusted origin ${JSON.stringify(frame.url)}` };
  return { ok: true };
}
