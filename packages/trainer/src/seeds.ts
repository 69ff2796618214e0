/**
 * Seed namespaces of a run (keys of core's `deriveSeed(seed, key, ...)`), so that dropout, evaluation data,
 * shuffles and head initialisation never share a stream: dropout of micro-batch m of step s is
 * `deriveSeed(seed, SEED_KEYS.dropout, s, m)`, so nothing but the step is needed to replay a run.
 */
export const SEED_KEYS = { dropout: 1, evalData: 2, shuffle: 3, init: 4 } as const;
