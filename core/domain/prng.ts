/**
 * A small seeded pseudo-random generator for simulations and benchmarks: SFC32 (Chris Doty-Humphrey's Small Fast
 * Counting generator, PractRand-clean, period ≥ 2^32) seeded by the cyrb128 string hash. The same seed always gives
 * the same sequence on every platform (32-bit integer arithmetic only). Not for secrets.
 */
export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A new independent generator derived from this one and a label (e.g. one stream per purpose). */
  fork(label: string): Rng;
};

/** cyrb128: four 32-bit words from a string, a good seed mix for SFC32. */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A seeded generator: the same seed (number or string) gives the same sequence. */
export function createRng(seed: number | string): Rng {
  const key = String(seed);
  let [a, b, c, d] = cyrb128(key);
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs: SFC32 mixes its state in a few rounds.
  for (let i = 0; i < 15; i++) next();
  return {
    next,
    int: (n) => Math.floor(next() * n),
    fork: (label) => createRng(`${key}/${label}`),
  };
}
