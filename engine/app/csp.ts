/**
 * The renderer's Content-Security-Policy, shared by Electron (custom protocol responses) and web
 * mode (HTTP responses) so both run the renderer under the same rules: only our own scripts,
 * workers from our own origin or blob: (Monaco), no plugins, no framing, no form posts.
 */
export interface CspOptions {
  /** Extra connect-src sources, e.g. the WebSocket URL of web mode or Vite's HMR socket. */
  connect?: string[];
  /**
   * The Vite dev server injects an inline module script (React refresh preamble); only then is
   * 'unsafe-inline' allowed for scripts. Never set for built bundles.
   */
  devServer?: boolean;
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const scripts = ["'self'", ...(options.devServer ? ["'unsafe-inline'"] : [])];
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': scripts,
    'worker-src': ["'self'", 'blob:'],
    // Monaco positions and colours editor lines with inline style attributes and <style> tags.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...(options.connect ?? [])],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
