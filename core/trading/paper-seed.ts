// Paper trading: seeds a store with a demo account and the simulator's symbols, so the embedded
// fleet (npm start) and the scenario tests trade against the in-process simulator. The account's
// credentials are encrypted like real ones; symbols get a direction and are switched on.
import type { ExchangePort } from '../exchange/exchange.port.ts';
import type { InsertEffect, UpdateEffect } from '../steps/effects.ts';
import type { StepStore } from '../steps/step-store.port.ts';
import { insertAccount, type NewAccount } from './account.ts';
import { applyRowEffects } from './apply-row-effects.ts';
import { encryptCredentials } from './credentials.ts';
import { setSymbolFlags, upsertExchangeSymbol } from './exchange-symbol.ts';
import type { Direction } from './statuses.ts';

/** What to seed. */
export interface PaperSeed {
  key: CryptoKey;
  account: { name: string; apiKey: string; secret: string } & Omit<NewAccount, 'name' | 'apiKeyEnc' | 'apiSecretEnc'>;
  /** Symbols to switch on, with the direction slot assignment should trade them in. */
  directions: Record<string, Direction>;
  now: number;
}

/** Inserts the account (idempotent on its name) and every listed symbol; returns the account id. */
export async function seedPaperTrading(store: StepStore, exchange: ExchangePort, seed: PaperSeed): Promise<number> {
  const info = await exchange.getExchangeInfo();
  const { apiKey, secret, ...account } = seed.account;
  const creds = await encryptCredentials(seed.key, apiKey, secret);
  const effects: (InsertEffect | UpdateEffect)[] = [{ ...insertAccount({ ...account, ...creds }, seed.now), ignoreDuplicate: true }];
  for (const s of info.symbols) {
    effects.push(...upsertExchangeSymbol(s, seed.now));
    const direction = seed.directions[s.symbol];
    if (direction) effects.push(setSymbolFlags(s.symbol, { direction, isEligible: true }, seed.now));
  }
  await store.transaction((tx) => applyRowEffects(tx, effects));
  const [row] = await store.findRows('accounts', { name: seed.account.name });
  return Number(row!.id);
}
