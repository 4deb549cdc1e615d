/**
 * The first step of every audit: dropping vendored, generated, fixture and
 * minified paths (and the config's `ignore` globs) from the listing.
 */
import { bench, describe } from "vitest";
import { considerableFiles } from "../src/engine/audit.js";
import { entries, monorepoPaths } from "./synthetic.js";

const files = entries(monorepoPaths());
const kept = considerableFiles(files).length;
const ignore = ["examples/**", "legacy/**", "**/*.generated.*", "contrib/**"];

describe(`considerableFiles, ${files.length} paths (${kept} kept)`, () => {
  bench("vendored/fixture/minified filtering, no config", () => {
    considerableFiles(files);
  }, { time: 700 });

  bench(`the same plus ${ignore.length} config ignore globs`, () => {
    considerableFiles(files, ignore);
  }, { time: 700 });
});
