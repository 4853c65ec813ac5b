import { describe, expect, it } from 'vitest';
import { CdpClient } from '../../../../../renderer/src/features/debugger/cdp.ts';

describe('CDP client', () => {
  it('retries until the engine knows the run, then resolves with the reply of the same id', async () => {
    const sent: string[] = [];
    let known = false;
    const client = new CdpClient({ send: async (m) => (sent.push(m), known), sleep: async () => void (known = sent.length >= 3) });
    const reply = client.send('Debugger.enable', { maxScriptsCacheSize: 1 });
    await new Promise((r) => setTimeout(r, 0));
    // Three refusals, then the fourth attempt lands.
    expect(sent).toHaveLength(4);
    expect(JSON.parse(sent[3]!)).toEqual({ id: 1, method: 'Debugger.enable', params: { maxScriptsCacheSize: 1 } });
    client.receive(JSON.stringify({ id: 1, result: { debuggerId: 'd' } }));
    expect(await reply).toEqual({ debuggerId: 'd' });
  });

  it('rejects on a protocol error, delivers notifications, ignores junk, and fails what is pending when closed', async () => {
    const client = new CdpClient({ send: async () => true });
    const seen: string[] = [];
    client.onNotification((method) => seen.push(method));
    const bad = client.send('Runtime.evaluate');
    client.receive(JSON.stringify({ id: 1, error: { message: 'nope' } }));
    await expect(bad).rejects.toThrow('nope');
    client.receive('not json');
    client.receive(JSON.stringify({ method: 'Debugger.paused', params: {} }));
    expect(seen).toEqual(['Debugger.paused']);
    const pending = client.send('Debugger.resume');
    client.close();
    await expect(pending).rejects.toThrow(/ended/);
    await expect(client.send('Debugger.resume')).rejects.toThrow(/ended/);
  });

  it('gives up on a run that never becomes debuggable', async () => {
    const client = new CdpClient({ send: async () => false, sleep: async () => {}, retries: 3 });
    await expect(client.send('Runtime.enable')).rejects.toThrow(/not being debugged/);
  });
});
