import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { liveStream } from './live-stream.ts';

async function readUntil(body: ReadableStream<Uint8Array>, needle: string): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(needle)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  await reader.cancel();
  return text;
}

describe('liveStream', () => {
  it('sends change when the fingerprint changes, and nothing while it stays', async () => {
    let version = 0;
    let reads = 0;
    const app = new Hono();
    app.get('/live', liveStream(async () => {
      reads += 1;
      if (reads === 4) version += 1;
      return String(version);
    }, { intervalMs: 5 }));
    const res = await app.request('/live');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await readUntil(res.body!, 'event: change');
    expect(text).toContain('event: hello');
    expect(text.match(/event: change/g)).toHaveLength(1);
    expect(reads).toBeGreaterThanOrEqual(4);
  });
});
