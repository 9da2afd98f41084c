/** What the store needs from the database: one shared counter per limit and key (features/sign-in/throttle.ts). */
export interface SharedHitCounter {
  hit(limitName: string, key: string, windowMs: number): Promise<{ hits: number; resetInMs: number }>;
}

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface RouteInfo {
  routeInfo?: { method?: string | string[]; url?: string };
}

/**
 * A store for @fastify/rate-limit that counts in the database instead of in
 * memory, so two instances behind one balancer share each limit instead of
 * doubling it. Each route's limit is counted on its own, as the built-in
 * store does. Windows are fixed: they start at the first request and last
 * `timeWindow`.
 */
export function sharedRateLimitStore(counter: SharedHitCounter) {
  return class SharedRateLimitStore {
    constructor(
      _options?: unknown,
      private readonly limitName = 'not-found',
    ) {}

    incr(key: string, callback: Callback, timeWindow: number): void {
      counter.hit(this.limitName, key, timeWindow).then(
        ({ hits, resetInMs }) => callback(null, { current: hits, ttl: resetInMs }),
        (error: Error) => callback(error),
      );
    }

    // At run time the plugin passes its merged options, which name the route in `routeInfo`.
    child(routeOptions: object): SharedRateLimitStore {
      const { method, url } = (routeOptions as RouteInfo).routeInfo ?? {};
      const name = url ? `${Array.isArray(method) ? method.join(',') : (method ?? '')} ${url}` : this.limitName;
      return new SharedRateLimitStore(undefined, name);
    }
  };
}
