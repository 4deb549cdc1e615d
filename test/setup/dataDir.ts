import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

// The app keeps public repositories' audits for its report pages under SKILLPROOF_DATA_DIR (default ./data):
// every test file gets its own empty folder, so no test writes into the project or sees another's pages.
if (!process.env.SKILLPROOF_DATA_DIR) {
  const dir = mkdtempSync(join(tmpdir(), "skillproof-data-"));
  process.env.SKILLPROOF_DATA_DIR = dir;
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.SKILLPROOF_DATA_DIR;
  });
}
