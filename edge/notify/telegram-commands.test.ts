import { describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { readPauseOpens } from '../../core/trading/pause-opens.ts';
import { MemoryAuditLog } from '../../web/admin/memory-stores.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import type { TelegramApi, TelegramUpdate } from './telegram-api.ts';
import { TelegramCommands } from './telegram-commands.ts';

const ALLOWED = 4242;
const STRANGER = 666;

function rig() {
  let now = Date.parse('2026-12-01T00:00:00Z');
  const sent: { chat: number; text: string }[] = [];
  const api = { sendMessage: async (chat: number, text: string) => void sent.push({ chat, text }) } as unknown as TelegramApi;
  const store = new MemoryStepStore();
  const audit = new MemoryAuditLog();
  const commands = new TelegramCommands({ api, allowedChats: [ALLOWED], store, audit, clock: { now: () => now }, logger: silentLogger });
  let id = 0;
  const say = (chat: number, text: string): Promise<string | null> => commands.handle({ update_id: ++id, message: { message_id: id, chat: { id: chat }, from: { id: chat, username: 'ada' }, text } } satisfies TelegramUpdate);
  return { sent, store, audit, say, tick: (ms: number) => (now += ms), now: () => now };
}

describe('Telegram commands', () => {
  it('/pause from the allowed chat stops new opens at the preflight gate, /resume lets them through again; both audited', async () => {
    const r = rig();
    // The switch the open preflight reads before any account (handlers/trading/preflight.ts).
    expect((await readPauseOpens(r.store)).paused).toBe(false);
    expect(await r.say(ALLOWED, '/pause')).toBe('New opens paused fleet-wide (until /resume). Open positions are still managed.');
    r.tick(1000);
    expect(await readPauseOpens(r.store)).toMatchObject({ paused: true, by: 'telegram:4242:ada' });
    expect(await r.say(ALLOWED, '/status')).toMatch(/new opens paused fleet-wide by telegram:4242:ada/);
    expect(await r.say(ALLOWED, '/resume@kraite_bot')).toBe('New opens resumed: the regime decides again.');
    r.tick(1000);
    expect((await readPauseOpens(r.store)).paused).toBe(false);
    expect((await r.audit.recent(10)).map((e) => [e.who, e.action, e.subject, e.outcome])).toEqual([
      ['telegram:4242:ada', 'telegram-command', '/resume', 'ok'],
      ['telegram:4242:ada', 'telegram-command', '/status', 'ok'],
      ['telegram:4242:ada', 'telegram-command', '/pause', 'ok'],
    ]);
    expect(r.sent.every((m) => m.chat === ALLOWED)).toBe(true);
  });

  it('a command from any other chat is refused, changes nothing and is audited', async () => {
    const r = rig();
    expect(await r.say(STRANGER, '/pause')).toBe('refused');
    r.tick(1000);
    expect((await readPauseOpens(r.store)).paused).toBe(false);
    expect(await r.audit.recent(10)).toEqual([expect.objectContaining({ who: 'telegram:666:ada', subject: '/pause', outcome: 'refused', detail: 'chat not in TELEGRAM_CHAT_IDS' })]);
    expect(r.sent).toEqual([{ chat: STRANGER, text: 'This chat may not command this fleet.' }]);
  });

  it('/positions and /pnl read the books; plain text is ignored', async () => {
    const r = rig();
    expect(await r.say(ALLOWED, 'hello')).toBeNull();
    expect(await r.say(ALLOWED, '/positions')).toBe('No open positions.');
    expect(await r.say(ALLOWED, '/pnl')).toBe('Realized PnL: 0 over 0 closed position(s)');
  });
});
