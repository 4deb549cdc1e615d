import { readFileSync } from "node:fs";
import * as linguist from "linguist-languages";
import type { Language } from "linguist-languages";
import { describe, expect, it } from "vitest";
import { buildLanguageTables } from "../../src/stack/languageTables.js";
import { LANGUAGE_TABLES_FILE } from "../../src/stack/languages.js";

describe("data/languages.json", () => {
  it("is what scripts/gen-languages.js builds from the installed linguist-languages", () => {
    const committed = JSON.parse(readFileSync(LANGUAGE_TABLES_FILE, "utf8"));
    expect(committed).toEqual(buildLanguageTables(Object.values(linguist) as Language[]));
  });
});
