// Flow traces in this process (see flow/flow-trace.ts), for the cart page's trace panel.
import type { LRUCache } from 'lru-cache';
import {
  TRACE_TTL_MS,
  type FlowTrace,
  type TraceKind,
  type TraceRecords,
} from '../../flow/flow-trace';
import { boundedLru } from './bounded-lru';

const MAX_TRACES = 10_000;

/** Bounded and expiring, like sessions: at most 10,000 of each kind, for 10 idle minutes. */
export class MemoryTraceRecords implements TraceRecords {
  private readonly records: Record<TraceKind, LRUCache<string, FlowTrace>>;

  constructor() {
    const limits = { maxEntries: MAX_TRACES, idleTtlMs: TRACE_TTL_MS, pruneEveryMs: 60_000 };
    this.records = { pending: boundedLru(limits), session: boundedLru(limits) };
  }

  async get(kind: TraceKind, id: string): Promise<FlowTrace | undefined> {
    return this.records[kind].get(id);
  }

  async set(kind: TraceKind, id: string, trace: FlowTrace): Promise<void> {
    this.records[kind].set(id, trace);
  }

  async take(kind: TraceKind, id: string): Promise<FlowTrace | undefined> {
    const trace = this.records[kind].get(id);
    this.records[kind].delete(id);
    return trace;
  }
}
