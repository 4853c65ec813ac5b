/**
 * The preload: runs sandboxed, before the renderer, and exposes exactly `window.isolab`.
 * Bundled to one CommonJS file (sandboxed preloads cannot load modules or ESM).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge.ts';

contextBridge.exposeInMainWorld('isolab', buildBridge(ipcRenderer));
