// The WebSocket face (package ws): user-data streams per listen key and the mark-price streams,
// in raw (/ws/...) and combined (/stream?streams=...) form, with server pings, the SUBSCRIBE
// family of control messages, and the frame/connection faults the engine's FaultPlan asks for.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { SimExchange } from '../../core/sim/sim-exchange.ts';
import type { Frame, SimEvent } from '../../core/sim/user-events.ts';

/** Timing of the WS face. */
export interface SimWsOptions {
  /** Period of mark-price pushes (Binance: 1000 ms for the @1s streams). */
  markPriceIntervalMs: number;
  /** Server ping period (Binance: 3 minutes). */
  pingIntervalMs: number;
  /** Disconnect when no pong arrived for this long (Binance: 10 minutes). */
  pongTimeoutMs: number;
}

interface Connection {
  ws: WebSocket;
  kind: 'user' | 'market';
  combined: boolean;
  apiKey?: string;
  listenKey?: string;
  streams: Set<string>;
  lastPong: number;
}

const MARK_ARR = /^!markPrice@arr(@1s)?$/;
const MARK_ONE = /^([a-z0-9]+)@markPrice(@1s)?$/;

/** Serves the simulator's WebSocket streams on an existing HTTP server's upgrade requests. */
export class SimWsServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: () => void;

  constructor(private readonly engine: SimExchange, private readonly options: SimWsOptions) {
    this.unsubscribe = engine.subscribe((event) => this.onEvent(event));
    this.timers.push(setInterval(() => this.pushMarkPrices(), options.markPriceIntervalMs));
    this.timers.push(setInterval(() => this.ping(), options.pingIntervalMs));
  }

  /** Number of open connections (tests and status). */
  get size(): number {
    return this.connections.size;
  }

  /** Handles an HTTP upgrade: resolves the path to a user or market stream, or refuses it. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'ws://sim');
    const path = url.pathname.replace(/^\/(private|public|market)(?=\/)/, '');
    let names: string[] = [];
    let combined = false;
    if (path.startsWith('/ws/')) names = path.slice(4).split('/').filter(Boolean).map(decodeURIComponent);
    else if (path === '/stream') {
      combined = true;
      names = (url.searchParams.get('streams') ?? url.searchParams.get('listenKey') ?? '').split('/').filter(Boolean);
    } else if (path !== '/ws') return refuse(socket, 404);
    const userKey = names.find((n) => !MARK_ARR.test(n) && !MARK_ONE.test(n));
    const apiKey = userKey ? this.engine.listenKeys.resolve(userKey) : undefined;
    if (userKey && !apiKey) return refuse(socket, 400);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Connection = {
        ws, kind: userKey ? 'user' : 'market', combined, apiKey, listenKey: userKey,
        streams: new Set(names.filter((n) => n !== userKey)), lastPong: Date.now(),
      };
      this.connections.add(conn);
      ws.on('pong', () => (conn.lastPong = Date.now()));
      ws.on('close', () => this.connections.delete(conn));
      ws.on('error', () => ws.terminate());
      ws.on('message', (data) => this.onControl(conn, data.toString()));
    });
  }

  // SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS, answered as Binance does.
  private onControl(conn: Connection, text: string): void {
    let msg: { method?: string; params?: unknown; id?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return void conn.ws.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON' }, id: null }));
    }
    const params = Array.isArray(msg.params) ? msg.params.map(String) : [];
    if (msg.method === 'SUBSCRIBE') params.forEach((p) => conn.streams.add(p));
    else if (msg.method === 'UNSUBSCRIBE') params.forEach((p) => conn.streams.delete(p));
    else if (msg.method !== 'LIST_SUBSCRIPTIONS') return void conn.ws.send(JSON.stringify({ error: { code: 2, msg: 'Invalid request' }, id: msg.id ?? null }));
    conn.ws.send(JSON.stringify({ result: msg.method === 'LIST_SUBSCRIPTIONS' ? [...conn.streams] : null, id: msg.id ?? null }));
  }

  private send(conn: Connection, stream: string, data: Frame | Frame[]): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    const decision = this.engine.faults.takeFrame({ stream: conn.kind, apiKey: conn.apiKey }, data);
    if (decision === 'drop') return;
    const text = JSON.stringify(conn.combined ? { stream, data } : data);
    conn.ws.send(text);
    if (decision === 'duplicate') conn.ws.send(text);
  }

  private onEvent(event: SimEvent): void {
    for (const conn of [...this.connections]) {
      if (event.kind === 'user' && conn.kind === 'user' && conn.apiKey === event.apiKey) this.send(conn, conn.listenKey!, event.frame);
      if (event.kind === 'listen-key-expired' && conn.listenKey === event.listenKey) {
        this.send(conn, conn.listenKey, event.frame);
        conn.ws.close(1000, 'listenKeyExpired');
      }
      if (event.kind === 'drop-connections' && (event.stream === 'all' || event.stream === conn.kind) && (!event.apiKey || event.apiKey === conn.apiKey)) {
        conn.ws.terminate();
      }
    }
  }

  private pushMarkPrices(): void {
    const market = [...this.connections].filter((c) => c.kind === 'market' && c.streams.size > 0);
    if (market.length === 0) return;
    const frames = this.engine.markPriceFrames();
    for (const conn of market) {
      for (const stream of conn.streams) {
        if (MARK_ARR.test(stream)) this.send(conn, stream, frames);
        const one = MARK_ONE.exec(stream);
        const frame = one ? frames.find((f) => String(f.s).toLowerCase() === one[1]) : undefined;
        if (frame) this.send(conn, stream, frame);
      }
    }
  }

  private ping(): void {
    const now = Date.now();
    for (const conn of this.connections) {
      if (now - conn.lastPong > this.options.pongTimeoutMs) conn.ws.terminate();
      else if (conn.ws.readyState === WebSocket.OPEN) conn.ws.ping();
    }
  }

  /** Stops the timers and drops every connection. */
  async close(): Promise<void> {
    this.unsubscribe();
    for (const t of this.timers) clearInterval(t);
    for (const conn of this.connections) conn.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function refuse(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}
