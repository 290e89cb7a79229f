// The append-only record of what the exchange said (exchange_events) and the operator
// notification outbox (notifications). Both are inserts only, apart from stamping a notification sent.
import type { InsertEffect, Row, UpdateEffect } from '../steps/effects.ts';
import { decodeRow, encodeRow, oneOf, type Codec } from './row-codec.ts';
import { TABLES } from './tables.ts';

/** Where a raw payload came from. */
export type EventSource = 'rest' | 'ws';

/** One raw exchange payload as stored. */
export interface ExchangeEventRow {
  id: number;
  accountId: number | null;
  source: EventSource;
  eventType: string;
  symbol: string | null;
  clientOrderId: string | null;
  /** The exchange's own event time, when the payload has one. */
  eventTime: number | null;
  payload: unknown;
  receivedAt: number;
}

const EVENT_CODEC: Codec<ExchangeEventRow> = {
  id: ['id', 'int'], accountId: ['account_id', 'int?'], source: ['source', 'string'], eventType: ['event_type', 'string'],
  symbol: ['symbol', 'string?'], clientOrderId: ['client_order_id', 'string?'], eventTime: ['event_time', 'int?'],
  payload: ['payload', 'json'], receivedAt: ['received_at', 'int'],
};

/** Reads an exchange_events row. */
export function toExchangeEvent(row: Row): ExchangeEventRow {
  const e = decodeRow(TABLES.exchangeEvents, EVENT_CODEC, row);
  return { ...e, source: oneOf(['rest', 'ws'], e.source, 'exchange_events.source') };
}

/** Appends a raw payload (the `raw` of a normalised exchange record, or a stream frame). */
export function recordExchangeEvent(event: Omit<ExchangeEventRow, 'id'>): InsertEffect {
  return { kind: 'insert', table: TABLES.exchangeEvents, row: encodeRow(TABLES.exchangeEvents, EVENT_CODEC, event) };
}

/** Notification severity, as NotifyEffect has it. */
export type Severity = 'info' | 'warning' | 'critical';

/** One operator notification. */
export interface NotificationRow {
  id: number;
  subject: string;
  message: string;
  severity: Severity;
  /** Same key within the notifier's window = one message, not a flood. */
  throttleKey: string | null;
  accountId: number | null;
  positionId: number | null;
  createdAt: number;
  sentAt: number | null;
}

const NOTIFICATION_CODEC: Codec<NotificationRow> = {
  id: ['id', 'int'], subject: ['subject', 'string'], message: ['message', 'string'], severity: ['severity', 'string'],
  throttleKey: ['throttle_key', 'string?'], accountId: ['account_id', 'int?'], positionId: ['position_id', 'int?'],
  createdAt: ['created_at', 'int'], sentAt: ['sent_at', 'int?'],
};

/** Reads a notifications row. */
export function toNotification(row: Row): NotificationRow {
  const n = decodeRow(TABLES.notifications, NOTIFICATION_CODEC, row);
  return { ...n, severity: oneOf(['info', 'warning', 'critical'], n.severity, 'notifications.severity') };
}

/** What a handler wants an operator to hear; written in the step's transaction, sent after commit. */
export interface NewNotification {
  subject: string;
  message: string;
  severity: Severity;
  throttleKey?: string | null;
  accountId?: number | null;
  positionId?: number | null;
}

/** Queues a notification (the notifier sends unsent rows and stamps them). */
export function queueNotification(n: NewNotification, at: number): InsertEffect {
  const row = encodeRow(TABLES.notifications, NOTIFICATION_CODEC, {
    // The subject column is VARCHAR(191): clip rather than let MySQL refuse what memory accepts.
    subject: n.subject.slice(0, 191), message: n.message, severity: n.severity, throttleKey: n.throttleKey ?? null,
    accountId: n.accountId ?? null, positionId: n.positionId ?? null, createdAt: at, sentAt: null,
  });
  return { kind: 'insert', table: TABLES.notifications, row };
}

/** Stamps a notification sent, only if it was not already (two notifiers never both claim it). */
export function markNotificationSent(id: number, at: number): UpdateEffect {
  return { kind: 'update', table: TABLES.notifications, where: { id, sent_at: null }, set: { sent_at: at } };
}
