// The stream daemon's timers: the real ones and the manual ones pass the same contract.
import { ManualTimers, systemTimers } from '../edge/streams/user-data/timers.ts';
import { timersContract } from './contracts/timers.contract.ts';

timersContract('system', () => ({
  timers: systemTimers(),
  // Real time: wait a little longer than asked, since a timer may fire a millisecond late.
  pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms + 15)),
}));

timersContract('manual', () => {
  const timers = new ManualTimers();
  return { timers, pass: async (ms) => timers.advance(ms) };
});
