// Rows for admin tests and screenshots: an account (credentials encrypted when a key is given), an
// active position with orders (one whose exchange echo drifts from our intent) and a trading step
// tree with parallel siblings, a failure with a stack, a cancelled sibling and a pending step.
import type { StepStore } from '../../core/steps/step-store.port.ts';
import type { NewStep, Step } from '../../core/steps/step.ts';
import { insertAccount, toAccount } from '../../core/trading/account.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { encryptCredentials } from '../../core/trading/credentials.ts';
import { sampleAccount } from '../../core/trading/fixtures.ts';
import { insertOrder, recordPlacement } from '../../core/trading/order-effects.ts';
import { activatePosition, insertPosition, movePosition } from '../../core/trading/position-effects.ts';
import { getPositionByUuid } from '../../core/trading/reads.ts';
import { TABLES } from '../../core/trading/tables.ts';

/** The plaintext credentials the seeded account holds (tests check they never appear whole). */
export const SEED_API_KEY = 'kraiteTESTapiKEY0123456789abcdWXYZ';
export const SEED_API_SECRET = 'kraiteTESTsecret9876543210zyxwQRST';

/** Ids of what was seeded. */
export interface AdminSeed {
  accountId: number;
  positionId: number;
  positionUuid: string;
  steps: { root: Step; parent: Step; failed: Step; cancelled: Step; pending: Step; placed: Step };
}

function draft(over: Partial<NewStep> & Pick<NewStep, 'handler' | 'blockUuid' | 'index' | 'treeUuid'>, at: number): NewStep {
  return {
    set: 'trading', args: {}, state: 'pending', parentId: null, lane: 'positions', priority: 0, group: 'alpha', dispatchAfter: at,
    maxAttempts: 3, backoffMs: 1_000, isResolver: false, dedupeKey: null, label: null, createdAt: at, ...over,
  };
}

/** Seeds the rows at time `now`; with `key`, the account's credentials are real ciphertext. */
export async function seedAdminData(store: StepStore, now: number, key?: CryptoKey): Promise<AdminSeed> {
  const enc = key ? await encryptCredentials(key, SEED_API_KEY, SEED_API_SECRET) : null;
  const uuid = crypto.randomUUID();
  return store.transaction(async (tx) => {
    await applyRowEffects(tx, [insertAccount(sampleAccount('demo-main', enc ? { apiKeyEnc: enc.apiKeyEnc, apiSecretEnc: enc.apiSecretEnc, tradingEnabled: true } : { tradingEnabled: true }), now - 3_600_000)]);
    const [accountRow] = await tx.findRows(TABLES.accounts, { name: 'demo-main' });
    const account = toAccount(accountRow!);
    await applyRowEffects(tx, [insertPosition({ uuid, account, symbol: 'BTCUSDT', direction: 'LONG' }, now - 600_000)]);
    const position = (await getPositionByUuid(tx, uuid))!;
    await applyRowEffects(tx, [
      movePosition(position.id, 'new', 'opening', { at: now - 590_000, set: { leverage: 20 } }),
      activatePosition(position.id, '48.5', { at: now - 580_000, set: { openingPrice: '64250.1', quantity: '0.015', breakEvenPrice: '64250.1' } }),
    ]);
    const entry = insertOrder({ positionId: position.id, accountId: account.id, symbol: 'BTCUSDT', role: 'entry', isAlgo: false, type: 'MARKET', side: 'BUY', quantity: '0.015' }, now - 589_000);
    const rung = insertOrder({ positionId: position.id, accountId: account.id, symbol: 'BTCUSDT', role: 'rung', rung: 1, isAlgo: false, type: 'LIMIT', side: 'BUY', price: '62000', quantity: '0.03' }, now - 588_000);
    await applyRowEffects(tx, [entry.effect, rung.effect]);
    await applyRowEffects(tx, [
      recordPlacement(entry.clientOrderId, { exchangeOrderId: '9001', status: 'filled', exchangeStatus: 'FILLED', quantity: '0.015', executedQty: '0.015', avgPrice: '64250.1', updatedAt: now - 587_000 }, { at: now - 587_000 }),
      recordPlacement(rung.clientOrderId, { exchangeOrderId: '9002', status: 'working', exchangeStatus: 'NEW', price: '61990', quantity: '0.03', executedQty: '0', updatedAt: now - 586_000 }, { at: now - 586_000 }),
    ]);

    const tree = crypto.randomUUID();
    const rootBlock = crypto.randomUUID();
    const childBlock = crypto.randomUUID();
    const args = { position: uuid };
    const [root, parent] = await tx.insertSteps([
      draft({ handler: 'trading.open.verify-pair', treeUuid: tree, blockUuid: rootBlock, index: 1, args, label: `open ${uuid.slice(0, 8)}`, state: 'completed' }, now - 600_000),
      draft({ handler: 'trading.open.rungs', treeUuid: tree, blockUuid: rootBlock, index: 2, args, state: 'running' }, now - 599_000),
    ]);
    const [placed, failed, cancelled, pending] = await tx.insertSteps([
      draft({ handler: 'trading.order.place', treeUuid: tree, blockUuid: childBlock, index: 1, parentId: parent!.id, args: { ...args, clientOrderId: entry.clientOrderId }, lane: 'orders', state: 'completed' }, now - 598_000),
      draft({ handler: 'trading.order.place', treeUuid: tree, blockUuid: childBlock, index: 2, parentId: parent!.id, args: { ...args, clientOrderId: rung.clientOrderId }, lane: 'orders', state: 'failed' }, now - 597_000),
      draft({ handler: 'trading.order.place', treeUuid: tree, blockUuid: childBlock, index: 2, parentId: parent!.id, args, lane: 'orders', state: 'cancelled' }, now - 597_000),
      draft({ handler: 'trading.open.stop-loss', treeUuid: tree, blockUuid: childBlock, index: 3, parentId: parent!.id, args, state: 'pending', dispatchAfter: now + 3_600_000 }, now - 596_000),
    ]);
    await tx.updateStep('trading', root!.id, ['completed'], { completedAt: now - 599_500, startedAt: now - 599_900, durationMs: 400, attempts: 1 });
    await tx.updateStep('trading', parent!.id, ['running'], { childBlockUuid: childBlock, startedAt: now - 598_500, attempts: 1 });
    await tx.updateStep('trading', placed!.id, ['completed'], { completedAt: now - 597_500, startedAt: now - 597_800, durationMs: 300, attempts: 1 });
    await tx.updateStep('trading', failed!.id, ['failed'], {
      completedAt: now - 596_500, attempts: 3, durationMs: 1_200,
      errorMessage: 'Binance -2019: Margin is insufficient <for> "rung 1"', errorStack: 'ExchangeError: Margin is insufficient\n    at placeOrder (core/exchange/binance.ts:120:11)',
    });
    await tx.updateStep('trading', cancelled!.id, ['cancelled'], { completedAt: now - 596_500, errorMessage: `cancelled: step ${failed!.id} failed` });
    const reread = async (s: Step) => (await tx.getStep('trading', s.id))!;
    return {
      accountId: account.id, positionId: position.id, positionUuid: uuid,
      steps: { root: await reread(root!), parent: await reread(parent!), failed: await reread(failed!), cancelled: await reread(cancelled!), pending: await reread(pending!), placed: await reread(placed!) },
    };
  });
}
