import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from './db/database.ts';

export interface MetricsSources {
  database: Database;
  /** How many throttle keys (sign-in, codes) are locked now. */
  throttleLocks(): Promise<number>;
}

/**
 * Prometheus metrics for /metrics. Labels are route patterns
 * (`/staff/reports/:reference`), methods and status codes only: never a URL,
 * an address, an agent, a token or anything a person typed.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly durations: Histogram<'method' | 'route' | 'status'>;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 20 });

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'liaison_' });
    this.requests = new Counter({
      name: 'liaison_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.durations = new Histogram({
      name: 'liaison_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const pool = (pick: (stats: NonNullable<ReturnType<Database['poolStats']>>) => number) =>
      function (this: Gauge) {
        const stats = sources.database.poolStats();
        if (stats) this.set(pick(stats));
      };
    new Gauge({
      name: 'liaison_db_pool_in_use',
      help: 'PostgreSQL connections checked out by requests',
      registers,
      collect: pool((s) => s.total - s.idle),
    });
    new Gauge({
      name: 'liaison_db_pool_idle',
      help: 'PostgreSQL connections open and idle',
      registers,
      collect: pool((s) => s.idle),
    });
    new Gauge({
      name: 'liaison_db_pool_waiting',
      help: 'Requests waiting for a PostgreSQL connection',
      registers,
      collect: pool((s) => s.waiting),
    });
    new Gauge({
      name: 'liaison_db_pool_max',
      help: 'Largest number of PostgreSQL connections (DB_POOL_MAX)',
      registers,
      collect: pool((s) => s.max),
    });
    new Gauge({
      name: 'liaison_db_connections_dropped',
      help: 'Database connections the server dropped since start (discarded and replaced)',
      registers,
      collect(this: Gauge) {
        this.set(sources.database.connectionErrors());
      },
    });
    this.loopDelay.enable();
    const loopDelay = this.loopDelay;
    new Gauge({
      name: 'liaison_event_loop_delay_p99_seconds',
      help: '99th percentile event-loop delay since the previous scrape',
      registers,
      collect(this: Gauge) {
        this.set(loopDelay.percentile(99) / 1e9);
        loopDelay.reset();
      },
    });
    new Gauge({
      name: 'liaison_throttle_locked_keys',
      help: 'Sign-in and code throttle keys locked out now',
      registers,
      async collect(this: Gauge) {
        this.set(await sources.throttleLocks());
      },
    });
  }

  /** Records one answered request (an onResponse hook). */
  observe(request: FastifyRequest, reply: FastifyReply): void {
    // An unmatched URL is one label, so random paths cannot grow the series.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    this.requests.inc(labels);
    this.durations.observe(labels, reply.elapsedTime / 1000);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    this.loopDelay.disable();
  }
}
