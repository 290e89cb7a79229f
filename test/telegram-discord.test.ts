// Telegram and Discord beside Pushover, against fake servers on loopback: a paper run (`kraite run
// --all`, embedded) announces its opens to both; /pause from the allowed chat pauses new opens,
// the same command from another chat is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../edge/cli/main.ts';
import { fakeDiscord, fakeTelegram, type FakeDiscord, type FakeTelegram } from './support/fake-chat-servers.ts';
import { tempDataDir } from './support/temp-data-dir.ts';

const TOKEN = '123456:TEST-token_abc';
const OPERATOR = 4242;
const STRANGER = 777;

describe('Telegram and Discord notifications', () => {
  let telegram: FakeTelegram;
  let discord: FakeDiscord;
  beforeAll(async () => {
    [telegram, discord] = await Promise.all([fakeTelegram(TOKEN), fakeDiscord()]);
  });
  afterAll(async () => {
    await telegram.close();
    await discord.close();
  });

  it('a paper run announces opens on both; /pause obeys the allowed chat only', async () => {
    const out: string[] = [];
    const stop = new AbortController();
    const env = {
      KRAITE_PORT: '0', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', KRAITE_DATA_DIR: tempDataDir(),
      TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_CHAT_IDS: String(OPERATOR), TELEGRAM_API_URL: telegram.url, DISCORD_WEBHOOK_URL: discord.webhookUrl,
    };
    const running = main(['run', '--all'], { out: (l) => out.push(l), err: (l) => out.push(l), env, signal: stop.signal });
    try {
      await expect.poll(() => out.join('\n'), { timeout: 20_000 }).toContain(`telegram: commands from chat(s) ${OPERATOR}`);
      await expect.poll(() => telegram.sent.filter((m) => m.chat_id === OPERATOR && /position \d+ opened/.test(m.text)).length, { timeout: 30_000, interval: 200 }).toBeGreaterThan(0);
      expect(telegram.sent.find((m) => /position \d+ opened/.test(m.text))!.text).toMatch(/^ℹ️ position \d+ opened\n(LONG|SHORT) [A-Z]+USDT: opened at [\d.]+/);
      await expect.poll(() => discord.posts.filter((p) => /\*\*position \d+ opened\*\*/.test(p)).length, { timeout: 10_000 }).toBeGreaterThan(0);

      telegram.say(STRANGER, '/pause');
      await expect.poll(() => telegram.sent.filter((m) => m.chat_id === STRANGER).map((m) => m.text), { timeout: 10_000 }).toEqual(['This chat may not command this fleet.']);
      telegram.say(OPERATOR, '/status');
      await expect.poll(() => telegram.sent.filter((m) => m.chat_id === OPERATOR && m.text.startsWith('Kraite:')).map((m) => m.text), { timeout: 10_000 })
        .toEqual([expect.stringContaining('new opens: as the regime allows')]);
      telegram.say(OPERATOR, '/pause');
      await expect.poll(() => telegram.sent.some((m) => m.chat_id === OPERATOR && m.text.startsWith('New opens paused fleet-wide')), { timeout: 10_000 }).toBe(true);
      telegram.say(OPERATOR, '/status');
      await expect.poll(() => telegram.sent.filter((m) => m.chat_id === OPERATOR && m.text.startsWith('Kraite:')).length, { timeout: 10_000 }).toBe(2);
      expect(telegram.sent.filter((m) => m.text.startsWith('Kraite:'))[1]!.text).toMatch(/new opens paused fleet-wide by telegram:4242:u4242/);
    } finally {
      stop.abort();
      expect(await running).toBe(0);
    }
  }, 90_000);
});
