import { describe, expect, it } from 'vitest';
import { ManualClock } from '../ports/clock.ts';
import type { Notifier, Severity } from './notifier.port.ts';
import { ThrottledNotifier } from './throttled-notifier.ts';

function recorder(): { notifier: Notifier; sent: [string, string, Severity][] } {
  const sent: [string, string, Severity][] = [];
  return { sent, notifier: { deliver: async (s, m, v) => (sent.push([s, m, v]), 'sent') } };
}

describe('ThrottledNotifier', () => {
  it('lets one alert per subject through per window', async () => {
    const clock = new ManualClock();
    const r = recorder();
    const n = new ThrottledNotifier(r.notifier, { windowMs: 10_000, clock });
    expect(await n.deliver('a', 'one', 'warning')).toBe('sent');
    clock.advance(9_999);
    expect(await n.deliver('a', 'two', 'warning')).toBe('throttled');
    expect(await n.deliver('b', 'other subject', 'warning')).toBe('sent');
    clock.advance(1);
    expect(await n.deliver('a', 'three', 'warning')).toBe('sent');
    expect(r.sent.map((s) => s[1])).toEqual(['one', 'other subject', 'three (1 similar alert held back since the last one)']);
  });

  it('never holds back an escalation to a higher severity', async () => {
    const clock = new ManualClock();
    const r = recorder();
    const n = new ThrottledNotifier(r.notifier, { windowMs: 10_000, clock });
    await n.deliver('a', 'warn', 'warning');
    expect(await n.deliver('a', 'now critical', 'critical')).toBe('sent');
    expect(await n.deliver('a', 'critical again', 'critical')).toBe('throttled');
  });

  it('forgets the oldest subjects past its bound', async () => {
    const clock = new ManualClock();
    const r = recorder();
    const n = new ThrottledNotifier(r.notifier, { windowMs: 10_000, clock, maxSubjects: 2 });
    await n.deliver('a', '1', 'info');
    await n.deliver('b', '2', 'info');
    await n.deliver('c', '3', 'info');
    expect(await n.deliver('a', '4', 'info')).toBe('sent');
  });
});
