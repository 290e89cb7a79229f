import { loginThrottleContract } from '../../test/contracts/login-throttle.contract.ts';
import { MemoryLoginThrottle } from './memory-login-throttle.ts';

loginThrottleContract('memory', async (clock, options) => ({ throttle: new MemoryLoginThrottle(() => clock.now(), options), cleanup: async () => {} }));
