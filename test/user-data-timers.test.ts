// The stream daemon's timers: the real ones and the manual ones pass the same contract.
import { ManualTimers, systemTimers } from '../edge/streams/user-data/timers.ts';
import { timersContract } from './contracts/timers.contract.ts';

timersContract('system', () => ({
  timers: systemTimers(),
  // Real time: wait a little longer than asked (a timer may fire a millisecond late), in hops of
  // 5 ms, so a stalled event loop delays this wait as much as the chains of timers it waits for.
  pass: async (ms) => {
    const until = performance.now() + ms + 15;
    for (let hops = 0; hops < Math.ceil((ms + 15) / 5) || performance.now() < until; hops++) await new Promise((resolve) => setTimeout(resolve, 5));
  },
}));

timersContract('manual', () => {
  const timers = new ManualTimers();
  return { timers, pass: async (ms) => timers.advance(ms) };
});
