import { describe, expect, it } from 'vitest';
import {
  canMoveOrder, canMovePosition, isOpenPosition, OPEN_POSITION_STATUSES, ORDER_STATUSES, orderStatusFromExchange, POSITION_STATUSES,
  positionMovesFrom, TERMINAL_ORDER_STATUSES, TERMINAL_POSITION_STATUSES,
} from './statuses.ts';

describe('position statuses', () => {
  it('walks the happy path new → opening → active ⇄ syncing/waping → closing → closed', () => {
    const path = ['new', 'opening', 'active', 'waping', 'active', 'syncing', 'active', 'closing', 'closed'] as const;
    for (let i = 1; i < path.length; i++) expect(canMovePosition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it('lets every open status go to cancelling, and cancelling end cancelled or failed only', () => {
    for (const s of OPEN_POSITION_STATUSES.filter((x) => x !== 'cancelling')) expect(canMovePosition(s, 'cancelling')).toBe(true);
    expect(positionMovesFrom('cancelling')).toEqual(['cancelled', 'failed']);
  });

  it('never leaves a terminal status and never reaches one except through its own door', () => {
    for (const from of TERMINAL_POSITION_STATUSES) expect(positionMovesFrom(from)).toEqual([]);
    const into = (to: string) => POSITION_STATUSES.filter((from) => canMovePosition(from, to as never));
    expect(into('closed')).toEqual(['closing']);
    expect(into('cancelled')).toEqual(['cancelling']);
    expect(into('failed')).toEqual(['cancelling']);
  });

  it('hands a take-profit filled before activation, or mid-WAP, to close', () => {
    expect(canMovePosition('opening', 'closing')).toBe(true);
    expect(canMovePosition('waping', 'closing')).toBe(true);
    expect(canMovePosition('new', 'active')).toBe(false);
    expect(canMovePosition('active', 'closed')).toBe(false);
  });

  it('splits open from terminal with nothing left over', () => {
    expect([...OPEN_POSITION_STATUSES, ...TERMINAL_POSITION_STATUSES].sort()).toEqual([...POSITION_STATUSES].sort());
    expect(POSITION_STATUSES.filter(isOpenPosition)).toEqual(OPEN_POSITION_STATUSES);
  });
});

describe('order statuses', () => {
  it('lets a pending order land anywhere (adoption after a crash) and terminal orders stay put', () => {
    for (const to of ORDER_STATUSES.filter((s) => s !== 'pending')) expect(canMoveOrder('pending', to)).toBe(true);
    for (const from of TERMINAL_ORDER_STATUSES) for (const to of ORDER_STATUSES) expect(canMoveOrder(from, to)).toBe(false);
    expect(canMoveOrder('working', 'working')).toBe(true);
    expect(canMoveOrder('working', 'pending')).toBe(false);
    expect(canMoveOrder('working', 'rejected')).toBe(false);
  });

  it('maps the exchange statuses of plain and algo orders, and refuses to guess the rest', () => {
    expect(orderStatusFromExchange('NEW', false)).toBe('working');
    expect(orderStatusFromExchange('PARTIALLY_FILLED', false)).toBe('partially_filled');
    expect(orderStatusFromExchange('FILLED', false)).toBe('filled');
    expect(orderStatusFromExchange('CANCELED', false)).toBe('cancelled');
    expect(orderStatusFromExchange('EXPIRED_IN_MATCH', false)).toBe('expired');
    expect(orderStatusFromExchange('TRIGGERED', true)).toBe('working');
    expect(orderStatusFromExchange('FINISHED', true)).toBe('filled');
    expect(orderStatusFromExchange('REJECTED', true)).toBe('rejected');
    expect(orderStatusFromExchange('FINISHED', false)).toBeNull();
    expect(orderStatusFromExchange('PENDING_NEW', false)).toBeNull();
  });
});
