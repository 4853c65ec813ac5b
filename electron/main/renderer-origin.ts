/**
 * Where the renderer comes from: our own `app://isolab` scheme for built bundles, or Vite's dev
 * server during `electron-vite dev`. Everything that decides "is this our renderer?" (sender
 * check, navigation guard, permission checks) asks this module.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'isolab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The origin of a URL, or null when it has none we can trust (opaque, malformed). */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // Custom schemes report origin "null" in WHATWG URL; build it from the parts instead.
    if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host ? `${APP_SCHEME}://${parsed.host}` : null;
    return parsed.origin === 'null' ? null : parsed.origin;
  } catch {
    return null;
  }
}

/** Origins our renderer may be served from: the app scheme, plus the dev server when given. */
export function trustedOrigins(devServerUrl: string | undefined): Set<string> {
  const origins = new Set([APP_ORIGIN]);
  if (devServerUrl) {
    const dev = originOf(devServerUrl);
    if (dev) origins.add(dev);
  }
  return origins;
}

export function isTrustedUrl(url: string, origins: ReadonlySet<string>): boolean {
  const origin = originOf(url);
  return origin !== null && origins.has(origin);
}
