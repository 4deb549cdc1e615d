import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The CLI tests spawn node; the app tests drive Probot with nock. Neither needs a browser.
    environment: "node",
    testTimeout: 30_000,
    pool: "forks",
    // Measured only when asked (`npm run test:coverage`, CI): plain `npm test` stays as fast as it was.
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "json-summary", "lcov"],
      reportsDirectory: "coverage",
    },
  },
});
