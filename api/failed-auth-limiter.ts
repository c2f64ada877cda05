// Failed authentication, limited per client address before any credential is looked up: a token bucket per
// address in a bounded in-memory map. Only failures take from the bucket, so a client that authenticates is never
// slowed by it; an address that keeps presenting bad tokens is answered 429 without a database query.
//
// Why not @fastify/rate-limit: its hook runs per route, after the application's authentication hook (which must run
// first so the general limit is keyed on the verified credential, and one client cannot spend another's budget by
// naming its key id). A bad token is refused by that hook, so the general limiter never counts it, and each one costs
// a Postgres lookup. This check sits in front of the lookup and costs a Map access.

export interface FailedAuthLimits {
  /** Failures an address may have in a burst before it is refused. */
  burst: number;
  /** Failures given back per minute. */
  perMinute: number;
  /** Addresses remembered at most; the least recently seen are forgotten first. */
  maxAddresses: number;
}

export const defaultFailedAuthLimits: FailedAuthLimits = { burst: 20, perMinute: 20, maxAddresses: 50_000 };

interface Bucket {
  tokens: number;
  at: number;
}

export class FailedAuthLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly limits: FailedAuthLimits;

  constructor(
    limits: Partial<FailedAuthLimits> = {},
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.limits = { ...defaultFailedAuthLimits, ...limits };
  }

  /** Seconds until this address may try again, or 0 when it may try now. */
  retryAfter(address: string): number {
    const bucket = this.refilled(clientKey(address));
    if (!bucket || bucket.tokens >= 1) return 0;
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / this.limits.perMinute));
  }

  /** Records one failed authentication from this address. */
  failed(address: string): void {
    const key = clientKey(address);
    const bucket = this.refilled(key) ?? { tokens: this.limits.burst, at: this.clock() };
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    // Re-inserted last: the map's order is least recently failed first, which is what is forgotten first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.limits.maxAddresses) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }

  /** The bucket with what it earned back since; a full one is forgotten (it holds nothing a new one would not). */
  private refilled(key: string): Bucket | undefined {
    const bucket = this.buckets.get(key);
    if (!bucket) return undefined;
    const now = this.clock();
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + ((now - bucket.at) / 60_000) * this.limits.perMinute);
    bucket.at = now;
    if (bucket.tokens >= this.limits.burst) {
      this.buckets.delete(key);
      return undefined;
    }
    return bucket;
  }
}

/**
 * The bucket an address falls in: an IPv4 address as it is, an IPv6 address by its /64 (one subscriber usually holds
 * a whole /64, so counting single addresses would let them rotate through 2^64 of them).
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = (address.toLowerCase().split('%')[0] ?? '').split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...new Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (g || '0').replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
