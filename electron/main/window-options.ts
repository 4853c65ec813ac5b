/**
 * The one BrowserWindow's options. Every security-relevant preference is spelled out, even where
 * it matches Electron's default, so a future default change or a careless edit shows in review
 * (and the unit test pins them).
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Isolab',
    // Shown on 'ready-to-show', so the user never sees a white flash before the first paint.
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: secureWebPreferences(preloadPath),
  };
}
