// The generated process units and the shipped Redis/MySQL configuration: the shipped files match
// the topology, every unit restarts always, queue consumers get a stop timeout longer than the
// longest job, and the Redis config, run by a real redis-server, requires its password, refuses
// the disabled commands and never evicts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topology } from '../core/fleet/topology.schema.ts';
import { main } from '../edge/cli/main.ts';
import { loadTopology } from '../edge/fleet/load-topology.ts';
import { kraiteProcesses, renderMysqlCnf } from '../infra/mysql/render-mysql-cnf.ts';
import { DISABLED_REDIS_COMMANDS, renderRedisConf } from '../infra/redis/render-redis-conf.ts';
import { renderUnits } from '../infra/units/render-units.ts';
import { sparePort } from './support/spare-port.ts';

let topology: Topology;
beforeAll(async () => {
  topology = await loadTopology();
});

const field = (content: string, key: string) => content.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));

describe('process units', () => {
  it('the shipped files are what the topology renders', async () => {
    const err: string[] = [];
    const out: string[] = [];
    expect(await main(['deploy:units', '--check'], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} })).toBe(0);
    expect(err).toEqual([]);
  });

  it('one run unit per Kraite box, one for the mark-price daemon, none for storage', () => {
    const paths = renderUnits(topology).map((f) => f.path).filter((p) => p.endsWith('.service'));
    expect(paths).toEqual([
      'athena/kraite-athena.service', 'athena/kraite-mark-price-stream.service',
      'eos/kraite-eos.service', 'iris/kraite-iris.service', 'nyx/kraite-nyx.service', 'hemera/kraite-hemera.service',
      'tyche/kraite-tyche.service', 'pheme/kraite-pheme.service',
    ]);
  });

  it('restarts always; consumers stop slower than their longest job and their shutdown deadline', () => {
    const files = renderUnits(topology, { longestJobSec: 240 });
    for (const f of files.filter((x) => x.path.endsWith('.service'))) {
      expect(field(f.content, 'Restart')).toEqual(['always']);
      expect(field(f.content, 'StartLimitIntervalSec')).toEqual(['0']);
    }
    const eos = files.find((f) => f.path === 'eos/kraite-eos.service')!.content;
    expect(Number(field(eos, 'TimeoutStopSec')[0])).toBeGreaterThan(240);
    expect(field(eos, 'Environment')).toEqual(['KRAITE_SHUTDOWN_DEADLINE_MS=240000']);
    expect(field(eos, 'ExecStart')[0]).toMatch(/kraite\.js run --box eos$/);
    const mark = files.find((f) => f.path === 'athena/kraite-mark-price-stream.service')!.content;
    expect(field(mark, 'ExecStart')[0]).toMatch(/kraite\.js stream:mark-price$/);
    expect(field(mark, 'After')[0]).toContain('kraite-workers.target');
  });
});

describe('redis.conf, run by a real redis-server', () => {
  let child: ChildProcess;
  let port: number;
  let dir: string;
  beforeAll(async () => {
    port = await sparePort();
    dir = mkdtempSync(join(tmpdir(), 'kraite-redis-'));
    const conf = renderRedisConf(topology, { password: 's3cret', port, configCommand: 'KRAITE_CFG_X', dir, maxmemory: '64mb' })
      // This machine has no 10.0.0.2: keep the private-address rule, bind loopback only.
      .replace(/^bind .*$/m, 'bind 127.0.0.1');
    writeFileSync(join(dir, 'redis.conf'), conf);
    child = spawn('redis-server', [join(dir, 'redis.conf')], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis({ port, password: 's3cret', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      const up = await probe.connect().then(() => probe.ping()).then(() => true, () => false);
      probe.disconnect();
      if (up) break;
      if (Date.now() > deadline) throw new Error('redis-server did not start with the generated config');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('requires the password, refuses the disabled commands and never evicts', async () => {
    const anon = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false, retryStrategy: () => null });
    anon.on('error', () => undefined);
    await anon.connect();
    await expect(anon.ping()).rejects.toThrow(/NOAUTH/);
    anon.disconnect();

    const r = new Redis({ port, password: 's3cret' });
    try {
      expect(await r.ping()).toBe('PONG');
      for (const command of DISABLED_REDIS_COMMANDS.filter((c) => c !== 'SHUTDOWN')) {
        await expect(r.call(command.toLowerCase())).rejects.toThrow(/unknown command/i);
      }
      await expect(r.call('config', 'get', 'maxmemory-policy')).rejects.toThrow(/unknown command/i);
      expect(await r.call('KRAITE_CFG_X', 'get', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await r.call('KRAITE_CFG_X', 'get', 'appendonly')).toEqual(['appendonly', 'yes']);
    } finally {
      await r.quit();
    }
  });

  it('binds the storage box\'s private address in the shipped file', () => {
    expect(renderRedisConf(topology)).toMatch(/^bind 10\.0\.0\.2 127\.0\.0\.1$/m);
    expect(renderRedisConf(topology)).toMatch(/^requirepass CHANGE_ME_REDIS_PASSWORD$/m);
  });
});

describe('MySQL configuration', () => {
  it('binds privately, runs READ COMMITTED in UTC with durable commits, sized from the fleet', () => {
    const cnf = renderMysqlCnf(topology);
    expect(cnf).toMatch(/^bind-address = 10\.0\.0\.2$/m);
    expect(cnf).toMatch(/^transaction-isolation = READ-COMMITTED$/m);
    expect(cnf).toMatch(/^default-time-zone = '\+00:00'$/m);
    expect(cnf).toMatch(/^innodb_flush_log_at_trx_commit = 1$/m);
    expect(cnf).toMatch(/^local_infile = 0$/m);
    expect(kraiteProcesses(topology)).toBe(8); // 7 boxes running Kraite + the mark-price daemon
    expect(cnf).toMatch(/^max_connections = 210$/m);
  });
});
