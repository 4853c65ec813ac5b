/**
 * IPC channel names, derived from the contract's channel table. Shared by the router (main) and
 * the preload; nothing here imports Electron, so both sides and the tests can use it.
 */
import type { ChannelName } from '../../engine/common/api.ts';

const PREFIX = 'isolab:';

export function ipcChannel(channel: ChannelName): string {
  return `${PREFIX}${channel}`;
}

/** Backend events (BackendEvent) travel main → renderer on this one channel. */
export const EVENT_CHANNEL = 'isolab:event';
