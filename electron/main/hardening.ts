/**
 * Guards applied to every webContents and to the session: no navigation away from our renderer,
 * no new windows, no <webview>, no permissions (except writing to the clipboard for "copy as
 * JSON", and only for our own origin). Takes Electron objects as parameters so the unit tests can
 * drive it with fakes.
 */
import { isTrustedUrl } from './renderer-origin.ts';

interface NavigationEvent {
  url: string;
  preventDefault(): void;
}

/** The parts of WebContents the guards use. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function guardContents(contents: GuardedContents, origins: ReadonlySet<string>, onBlocked?: (what: string, url: string) => void): void {
  const stayHome = (what: string) => (event: NavigationEvent) => {
    if (isTrustedUrl(event.url, origins)) return;
    event.preventDefault();
    onBlocked?.(what, event.url);
  };
  contents.on('will-navigate', stayHome('navigation'));
  contents.on('will-frame-navigate', stayHome('frame navigation'));
  contents.on('will-redirect', stayHome('redirect'));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    onBlocked?.('window.open', url);
    return { action: 'deny' };
  });
}

/** Permissions our renderer may get. Everything else, for anyone, is refused. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export interface PermissionSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string) => boolean): void;
}

export function denyPermissions(session: PermissionSession, origins: ReadonlySet<string>): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(ALLOWED_PERMISSIONS.has(permission) && isTrustedUrl(details.requestingUrl ?? '', origins));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => ALLOWED_PERMISSIONS.has(permission) && isTrustedUrl(requestingOrigin, origins));
}
