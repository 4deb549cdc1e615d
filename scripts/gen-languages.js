#!/usr/bin/env node
// Regenerates data/languages.json from the linguist-languages package (a dev dependency).
// Run after upgrading linguist-languages; test/stack/languageTables.test.ts fails until you do.
import { writeFileSync } from "node:fs";
import * as linguist from "linguist-languages";
import { buildLanguageTables } from "../dist/stack/languageTables.js";

const out = new URL("../data/languages.json", import.meta.url);
writeFileSync(out, `${JSON.stringify(buildLanguageTables(Object.values(linguist)), null, 1)}\n`);
console.log(`wrote ${out.pathname}`);
