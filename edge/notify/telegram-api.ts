// The two Telegram Bot API methods Kraite calls: sendMessage and getUpdates (long poll with an
// offset). The base URL is configurable so tests point it at a fake Bot API on loopback.

/** One incoming message, as far as the commands read it. */
export interface TelegramUpdate {
  update_id: number;
  message?: { message_id: number; chat: { id: number }; from?: { id: number; username?: string }; text?: string };
}

/** Where the bot lives. */
export interface TelegramApiOptions {
  token: string;
  /** Default https://api.telegram.org. */
  baseUrl?: string;
  timeoutMs?: number;
}

/** A Bot API error: its HTTP status and description. */
export class TelegramError extends Error {
  constructor(readonly status: number, description: string) {
    super(`telegram refused the call (HTTP ${status}): ${description}`);
  }
}

/** A thin Bot API client. */
export class TelegramApi {
  private readonly base: string;

  constructor(private readonly o: TelegramApiOptions) {
    this.base = `${(o.baseUrl ?? 'https://api.telegram.org').replace(/\/+$/, '')}/bot${o.token}`;
  }

  private async call<T>(method: string, body: Record<string, unknown>, timeoutMs = this.o.timeoutMs ?? 10_000, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const res = await fetch(`${this.base}/${method}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const json = (await res.json().catch(() => ({}))) as { ok?: boolean; result?: T; description?: string };
    if (!res.ok || json.ok !== true) throw new TelegramError(res.status, json.description ?? 'no description');
    return json.result as T;
  }

  /** Sends plain text to a chat. */
  async sendMessage(chatId: number, text: string): Promise<void> {
    await this.call('sendMessage', { chat_id: chatId, text: text.slice(0, 4096), disable_web_page_preview: true });
  }

  /** Updates after `offset`, waiting up to `waitS` seconds for one. */
  getUpdates(offset: number, waitS: number, signal?: AbortSignal): Promise<TelegramUpdate[]> {
    return this.call('getUpdates', { offset, timeout: waitS, allowed_updates: ['message'] }, (waitS + 10) * 1000, signal);
  }
}
