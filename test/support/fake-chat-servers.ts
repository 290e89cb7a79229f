// A fake Telegram Bot API (sendMessage, getUpdates with offset and long-poll timeout) and a fake
// Discord webhook, on loopback, speaking the same HTTP as the real ones.
import { createServer, type IncomingMessage, type Server } from 'node:http';

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve(`http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`);
  }));
}

/** A fake Bot API for one token. */
export interface FakeTelegram {
  url: string;
  sent: { chat_id: number; text: string }[];
  /** Queues a message from `chat` for the next getUpdates. */
  say(chat: number, text: string): void;
  close(): Promise<void>;
}

/** Starts the fake Bot API. */
export async function fakeTelegram(token: string): Promise<FakeTelegram> {
  const sent: FakeTelegram['sent'] = [];
  const updates: { update_id: number; message: unknown }[] = [];
  let next = 1;
  const server = createServer(async (req, res) => {
    const b = await body(req);
    const reply = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (!req.url?.startsWith(`/bot${token}/`)) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = req.url.slice(`/bot${token}/`.length);
    if (method === 'sendMessage') {
      sent.push({ chat_id: Number(b.chat_id), text: String(b.text) });
      return reply(200, { ok: true, result: { message_id: sent.length, chat: { id: b.chat_id }, text: b.text } });
    }
    if (method === 'getUpdates') {
      const offset = Number(b.offset ?? 0);
      const waitUntil = Date.now() + Math.min(Number(b.timeout ?? 0), 1) * 1000;
      while (Date.now() < waitUntil && !updates.some((u) => u.update_id >= offset)) await new Promise((r) => setTimeout(r, 50));
      return reply(200, { ok: true, result: updates.filter((u) => u.update_id >= offset) });
    }
    return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
  });
  const url = await listen(server);
  return {
    url, sent,
    say(chat, text) {
      const id = next++;
      updates.push({ update_id: id, message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, username: `u${chat}` }, text } });
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A fake Discord webhook. */
export interface FakeDiscord {
  webhookUrl: string;
  posts: string[];
  close(): Promise<void>;
}

/** Starts the fake webhook (204 No Content, as Discord answers without ?wait=true). */
export async function fakeDiscord(): Promise<FakeDiscord> {
  const posts: string[] = [];
  const server = createServer(async (req, res) => {
    const b = await body(req);
    if (req.method !== 'POST' || req.url !== '/api/webhooks/123/hook-token') return res.writeHead(404).end();
    posts.push(String(b.content));
    res.writeHead(204).end();
  });
  const url = await listen(server);
  return { webhookUrl: `${url}/api/webhooks/123/hook-token`, posts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
