import { describe, expect, it } from 'vitest';
import type { SimAlgoOrder } from './algo-order.ts';
import { AlgoMap, ClientIndexedMap } from './order-books.ts';

type Entry = { client: string; n: number };

describe('order books', () => {
  it('finds entries by client id in the map order, through replacements and deletes', () => {
    const map = new ClientIndexedMap<Entry>((e) => e.client);
    const scan = (client: string) => [...map.values()].filter((e) => e.client === client);
    map.set(1, { client: 'a', n: 1 }).set(2, { client: 'b', n: 2 }).set(3, { client: 'a', n: 3 });
    expect(map.withClientId('a')).toEqual(scan('a'));
    map.set(1, { client: 'b', n: 4 });
    expect(map.withClientId('b')).toEqual(scan('b'));
    expect(map.withClientId('b').map((e) => e.n)).toEqual([4, 2]);
    map.delete(3);
    map.set(5, { client: 'a', n: 5 });
    expect(map.withClientId('a')).toEqual(scan('a'));
    expect(map.withClientId('zz')).toEqual([]);
  });

  it('lists the algos still NEW in placement order, as a scan would', () => {
    const algos = new AlgoMap();
    const algo = (algoId: number, status: SimAlgoOrder['status']) => ({ algoId, clientAlgoId: `c${algoId}`, status }) as SimAlgoOrder;
    const scan = () => [...algos.values()].filter((a) => a.status === 'NEW');
    for (let i = 1; i <= 6; i++) algos.set(i, algo(i, 'NEW'));
    algos.get(2)!.status = 'CANCELED';
    algos.get(5)!.status = 'TRIGGERED';
    expect(algos.waiting()).toEqual(scan());
    algos.set(2, algo(2, 'NEW'));
    expect(algos.waiting()).toEqual(scan());
    expect(algos.waiting().map((a) => a.algoId)).toEqual([1, 2, 3, 4, 6]);
    algos.delete(3);
    expect(algos.waiting()).toEqual(scan());
  });
});
