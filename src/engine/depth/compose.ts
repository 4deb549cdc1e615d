import { parseCompose } from "../matchers/compose.js";
import { listed, plural } from "./leaves.js";
import type { DepthProbe } from "./types.js";

/** containers/compose: which services the stack starts, and how many say how to check their health. */
export const composeProbe: DepthProbe = {
  measure({ result, facts }) {
    const files = [...new Set(result.evidence.map((e) => e.path))];
    const names = new Set<string>();
    let healthchecks = 0;
    for (const p of files) {
      // Same key and parser as the compose matcher: a file it parsed is not parsed again.
      for (const s of facts.parsedWhole("compose", p, parseCompose) ?? []) {
        if (names.has(s.name)) continue;
        names.add(s.name);
        if (s.keys.has("healthcheck")) healthchecks++;
      }
    }
    const services = [...names];
    const shown = services.length > 6 ? [...services.slice(0, 6), `${services.length - 6} more`] : services;
    return {
      facts: { composeFiles: files.length, services, healthchecks },
      summary: `${plural(services.length, "service")}${services.length ? ` (${listed(shown)})` : ""}${healthchecks ? `, ${healthchecks} with a healthcheck` : ""}`,
    };
  },
};
