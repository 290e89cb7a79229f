// Fault injection. Rules are data; the HTTP and WS faces consult them per request and per frame:
// latency, a chosen error on the next matching request, 5xx with unknown outcome (applied or not),
// a response lost after acceptance, dropped or duplicated frames, dropped connections, clock skew.
import type { SimState } from './sim-state.ts';
import type { Frame } from './user-events.ts';

/** Which requests a rule applies to; every given field must match. */
export interface RequestMatch {
  method?: string;
  path?: string;
  apiKey?: string;
  ip?: string;
  /** Parameters that must be present with these values (e.g. `{ type: 'MARKET' }`). */
  params?: Record<string, string>;
}

/** What happens to a matching request (besides latency). */
export type RequestFault =
  /** Answer with this error; the request is not executed. */
  | { kind: 'error'; status: number; code: number; msg: string }
  /** Answer 5xx; `applied` says whether the request was executed first (the client cannot tell). */
  | { kind: 'server-error'; applied: boolean; status: number; code: number; msg: string }
  /** Execute the request, then destroy the connection without a response. */
  | { kind: 'response-lost' };

/** A request as the faults see it. */
export interface FaultRequest {
  method: string;
  path: string;
  ip: string;
  apiKey?: string;
  params: Readonly<Record<string, string>>;
}

/** Which frames a frame rule applies to. */
export interface FrameMatch {
  stream?: 'user' | 'market';
  apiKey?: string;
  /** Event type (`e`), e.g. ORDER_TRADE_UPDATE; markPriceUpdate for mark-price frames. */
  event?: string;
}

interface Rule<F, M> {
  fault: F;
  match: M;
  remaining: number;
}

function matchesRequest(m: RequestMatch, r: FaultRequest): boolean {
  if (m.method && m.method.toUpperCase() !== r.method.toUpperCase()) return false;
  if (m.path && m.path !== r.path) return false;
  if (m.apiKey && m.apiKey !== r.apiKey) return false;
  if (m.ip && m.ip !== r.ip) return false;
  return Object.entries(m.params ?? {}).every(([k, v]) => r.params[k] === v);
}

function frameEvent(frame: Frame | Frame[]): string | undefined {
  const first = Array.isArray(frame) ? frame[0] : frame;
  return typeof first?.e === 'string' ? first.e : undefined;
}

/** The injectable faults of one simulator. */
export class FaultPlan {
  private latencies: Rule<number, RequestMatch>[] = [];
  private requests: Rule<RequestFault, RequestMatch>[] = [];
  private frames: Rule<'drop' | 'duplicate', FrameMatch>[] = [];

  constructor(private readonly state: SimState) {}

  /** Delays matching responses by `ms` (every match until cleared, or `times` matches). */
  latency(ms: number, match: RequestMatch = {}, times = Infinity): void {
    this.latencies.push({ fault: ms, match, remaining: times });
  }

  /** Answers the next matching request(s) with a chosen Binance error, without executing them. */
  failNext(error: { code: number; msg?: string; status?: number }, match: RequestMatch = {}, times = 1): void {
    const fault: RequestFault = { kind: 'error', status: error.status ?? 400, code: error.code, msg: error.msg ?? 'Injected fault.' };
    this.requests.push({ fault, match, remaining: times });
  }

  /** Answers 5xx with unknown outcome; `applied: true` executes the request first. */
  serverError(options: { applied: boolean; status?: number; code?: number; msg?: string }, match: RequestMatch = {}, times = 1): void {
    const fault: RequestFault = {
      kind: 'server-error', applied: options.applied, status: options.status ?? 503, code: options.code ?? -1008,
      msg: options.msg ?? 'Server is currently overloaded with other requests. Please try again in a few minutes.',
    };
    this.requests.push({ fault, match, remaining: times });
  }

  /** Executes the next matching request(s) but never answers: the connection is destroyed. */
  loseResponse(match: RequestMatch = {}, times = 1): void {
    this.requests.push({ fault: { kind: 'response-lost' }, match, remaining: times });
  }

  /** Drops the next `count` matching WebSocket frames. */
  dropFrames(count: number, match: FrameMatch = {}): void {
    this.frames.push({ fault: 'drop', match, remaining: count });
  }

  /** Sends the next `count` matching WebSocket frames twice. */
  duplicateFrames(count: number, match: FrameMatch = {}): void {
    this.frames.push({ fault: 'duplicate', match, remaining: count });
  }

  /** Drops open WebSocket connections now (user streams, market streams or both; optionally one account's). */
  dropConnections(stream: 'user' | 'market' | 'all' = 'all', apiKey?: string): void {
    this.state.emit({ kind: 'drop-connections', stream, apiKey });
  }

  /** Shifts the server clock by `ms` (positive = server ahead of the client). */
  setClockSkew(ms: number): void {
    this.state.skewMs = ms;
  }

  /** Removes every rule and the clock skew. */
  clear(): void {
    this.latencies = [];
    this.requests = [];
    this.frames = [];
    this.state.skewMs = 0;
  }

  /** For the HTTP face: the latency and the fault (if any) for this request; consumes matched rules. */
  takeRequest(request: FaultRequest): { latencyMs: number; fault?: RequestFault } {
    let latencyMs = 0;
    for (const rule of this.latencies) {
      if (rule.remaining <= 0 || !matchesRequest(rule.match, request)) continue;
      rule.remaining -= 1;
      latencyMs += rule.fault;
    }
    this.latencies = this.latencies.filter((r) => r.remaining > 0);
    const rule = this.requests.find((r) => r.remaining > 0 && matchesRequest(r.match, request));
    if (rule) rule.remaining -= 1;
    this.requests = this.requests.filter((r) => r.remaining > 0);
    return { latencyMs, fault: rule?.fault };
  }

  /** For the WS face: deliver, drop or duplicate this frame; consumes a matched rule. */
  takeFrame(target: { stream: 'user' | 'market'; apiKey?: string }, frame: Frame | Frame[]): 'deliver' | 'drop' | 'duplicate' {
    const event = frameEvent(frame);
    const rule = this.frames.find((r) => r.remaining > 0
      && (!r.match.stream || r.match.stream === target.stream)
      && (!r.match.apiKey || r.match.apiKey === target.apiKey)
      && (!r.match.event || r.match.event === event));
    if (!rule) return 'deliver';
    rule.remaining -= 1;
    this.frames = this.frames.filter((r) => r.remaining > 0);
    return rule.fault;
  }
}
