// Server time: from the moment a server's request listener is called until the response has been
// handed to the socket ('finish'). Every server in the bench (the shop, the local cache and both
// baselines) is wrapped by the same timer, so its small cost is the same everywhere.
// Requests carrying `x-bench-flow: <id>` are also summed per id: the server time of one whole
// cache→origin flow (POST, apply GET, cart page).
import type { RequestListener } from 'node:http';
import { percentiles, type Percentiles } from './stats';

export const FLOW_HEADER = 'x-bench-flow';

export interface TimerSummary {
  requests: Percentiles;
  /** Flows with all `flowSteps` requests seen. */
  flows: Percentiles;
}

export class ServerTimer {
  private durations: number[] = [];
  private flows = new Map<string, { ms: number; steps: number }>();

  wrap(listener: RequestListener): RequestListener {
    return (req, res) => {
      const start = performance.now();
      res.once('finish', () => {
        const ms = performance.now() - start;
        this.durations.push(ms);
        const flow = req.headers[FLOW_HEADER];
        if (typeof flow === 'string') {
          const sum = this.flows.get(flow) ?? { ms: 0, steps: 0 };
          sum.ms += ms;
          sum.steps += 1;
          this.flows.set(flow, sum);
        }
      });
      listener(req, res);
    };
  }

  reset(): void {
    this.durations = [];
    this.flows.clear();
  }

  summary(flowSteps: number): TimerSummary {
    const complete = [...this.flows.values()].filter((f) => f.steps === flowSteps);
    return {
      requests: percentiles(this.durations),
      flows: percentiles(complete.map((f) => f.ms)),
    };
  }
}
