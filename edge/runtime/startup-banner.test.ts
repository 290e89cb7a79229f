import { describe, expect, it } from 'vitest';
import { startupBlock } from './startup-banner.ts';

describe('startupBlock', () => {
  const links = { status: 'http://h:8080', admin: 'http://h:8081', site: 'http://h:8082', docs: 'http://h:8083', console: 'http://h:8084' };

  it('puts every URL and both first-run sign-ins together, then says what to open first', () => {
    const lines = startupBlock({
      links,
      admin: { username: 'admin', password: 'pa', note: 'new each start' },
      console: { username: 'trader', password: 'pt', note: 'the demo account' },
      notes: ['admin SQL console: off: no database'],
    });
    expect(lines).toEqual([
      'kraite is up:',
      '  status: http://h:8080/  (health: http://h:8080/health; links to the admin and the console)',
      '  admin: http://h:8081/  (operators: run the fleet)',
      '  console: http://h:8084/  (traders: the demo trader below)',
      '  site: http://h:8082/  docs: http://h:8083/',
      '  admin first run: sign in as "admin" with password "pa" (new each start)',
      '  console first run: sign in as "trader" with password "pt" (the demo account)',
      '  admin SQL console: off: no database',
      'open first: the console http://h:8084/ if you trade (sign in as "trader"); the admin http://h:8081/ if you operate the fleet (sign in as "admin").',
    ]);
  });

  it('names the command that makes a trader when there is no demo trader, and is empty without pages', () => {
    const lines = startupBlock({ links });
    expect(lines).toContain('  console: http://h:8084/  (traders: kraite admin:create-trader)');
    expect(lines.at(-1)).toBe('open first: the console http://h:8084/ if you trade; the admin http://h:8081/ if you operate the fleet.');
    expect(startupBlock({ links: {} })).toEqual([]);
  });
});
