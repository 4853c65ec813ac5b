/**
 * Where Isolab keeps its own files when nobody says otherwise. Matches Electron's
 * `app.getPath('userData')` for an app named "isolab", so the desktop app and `isolab serve`
 * share one default workspace and one settings file.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'isolab';

export function defaultAppDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.ISOLAB_DATA_DIR) return env.ISOLAB_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_DIR_NAME);
}

export interface AppPaths {
  dataDir: string;
  workspaceDir: string;
  settingsFile: string;
}

export function appPaths(dataDir: string, workspaceDir?: string): AppPaths {
  return {
    dataDir,
    workspaceDir: workspaceDir ?? join(dataDir, 'workspace'),
    settingsFile: join(dataDir, 'settings.json'),
  };
}
