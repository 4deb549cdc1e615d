import { defineConfig } from "vitest/config";

// The engine micro-benchmarks (bench/*.bench.ts, docs/benchmarks.md). Kept apart from
// vitest.config.ts so `npm test` never runs them and they never run beside the tests.
export default defineConfig({
  test: {
    environment: "node",
    pool: "forks",
    // One file at a time: on a 2-core machine, files running side by side would measure each other.
    fileParallelism: false,
    benchmark: { include: ["bench/**/*.bench.ts"] },
  },
});
