export { Workspace } from './workspace.ts';
export type { OpenWorkspaceOptions, ScriptContent } from './workspace.ts';
export { SettingsStore, salvageSettings } from './settings-store.ts';
export { WorkspaceError } from './errors.ts';
export { writeFileAtomic } from './atomic-write.ts';
export { appPaths, defaultAppDataDir } from './app-data.ts';
export type { AppPaths } from './app-data.ts';
export { WELCOME_SCRIPT, WELCOME_SCRIPT_NAME } from '../common/welcome.ts';
