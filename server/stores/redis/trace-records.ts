// Flow traces in Redis, so the cart page's trace panel tells the same story whichever instance
// serves it: one JSON string per trace, expiring like the in-memory ones (10 minutes after it was
// last written or read: GETEX renews), a waiting trace taken with GETDEL.
import {
  TRACE_TTL_MS,
  type FlowTrace,
  type TraceKind,
  type TraceRecords,
} from '../../flow/flow-trace';
import type { ShopRedisClient } from './client';
import { fromJson, toJson } from './json';
import type { RedisKeys } from './keys';

const TTL = { type: 'PX', value: TRACE_TTL_MS } as const;

export class RedisTraceRecords implements TraceRecords {
  constructor(
    private readonly client: ShopRedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async get(kind: TraceKind, id: string): Promise<FlowTrace | undefined> {
    return fromJson(await this.client.getEx(this.keys.trace(kind, id), TTL));
  }

  async set(kind: TraceKind, id: string, trace: FlowTrace): Promise<void> {
    await this.client.set(this.keys.trace(kind, id), toJson(trace), { expiration: TTL });
  }

  async take(kind: TraceKind, id: string): Promise<FlowTrace | undefined> {
    return fromJson(await this.client.getDel(this.keys.trace(kind, id)));
  }
}
