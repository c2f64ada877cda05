// Seeded randomness for routing decisions that must be replayable: the same seed gives the same draws on any
// machine, so a stored decision can be recomputed and explained. Small enough to own rather than depend on.

/** Uniform doubles in [0, 1) from a 32-bit seed (mulberry32: fast, and good enough for sampling, not for secrets). */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from text (FNV-1a), e.g. a lead id, so each decision has its own reproducible stream. */
export function seedFrom(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A standard normal draw (Box–Muller; the second value is dropped to keep the stream simple to replay). */
function normal(uniform: () => number): number {
  const u = 1 - uniform(); // (0, 1]: log(0) is not a number
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

/** A Gamma(shape, 1) draw: Marsaglia and Tsang (2000), with the usual boost for shapes below 1. */
export function gammaDraw(shape: number, uniform: () => number): number {
  if (!(shape > 0)) throw new RangeError(`shape must be positive (got ${shape})`);
  if (shape < 1) return gammaDraw(shape + 1, uniform) * Math.pow(1 - uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(uniform);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A Beta(alpha, beta) draw as the ratio of two gamma draws. */
export function betaDraw(alpha: number, beta: number, uniform: () => number): number {
  const x = gammaDraw(alpha, uniform);
  const y = gammaDraw(beta, uniform);
  return x / (x + y);
}
