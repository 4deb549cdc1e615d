// The command line both generated references share (docs/rules.md, docs/roles.md):
// write the document, or with --check fail when the committed one is stale (CI).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";

/**
 * `name`: the script's name; `source`: what the document is made from ("rules", "roles"),
 * also the option that points at another folder; `render(dir)`: the document's text.
 */
export function runGeneratedDoc({ name, source, defaultDir, defaultDoc, render }) {
  try {
    const { values } = parseArgs({ options: { check: { type: "boolean" }, [source]: { type: "string" }, doc: { type: "string" } } });
    const docFile = values.doc ?? defaultDoc;
    const shown = relative(process.cwd(), docFile);
    const text = render(values[source] ?? defaultDir);
    if (values.check) {
      const current = existsSync(docFile) ? readFileSync(docFile, "utf8") : "";
      if (current !== text) {
        console.error(`${shown} is out of date with the ${source}: run \`node scripts/${name}.js\` and commit the result`);
        process.exit(1);
      }
      console.log(`${shown} is up to date`);
    } else {
      writeFileSync(docFile, text);
      console.log(`wrote ${shown}`);
    }
  } catch (err) {
    console.error(`${name}: ${err.message}`);
    process.exit(2);
  }
}
