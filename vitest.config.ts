import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The CLI tests spawn node; the app tests drive Probot with nock. Neither needs a browser.
    environment: "node",
    testTimeout: 30_000,
    pool: "forks",
  },
});
