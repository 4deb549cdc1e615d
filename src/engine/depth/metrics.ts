import { lineAt } from "../facts.js";
import type { DepthProbe } from "./types.js";

/** Routes and settings that expose metrics to a scraper. */
const EXPOSED = /["'`](\/(?:actuator\/)?(?:metrics|prometheus)(?:\/[\w-]*)?)["'`]|(management\.endpoints\.web\.exposure\.include\s*[=:]\s*[^\n]*prometheus)|prometheus\.io\/path["']?:\s*["']?(\/[\w/-]+)|\bMapPrometheusScrapingEndpoint\b|\bUseOpenTelemetryPrometheusScrapingEndpoint\b|\bpromhttp\.Handler\(\)/;
const SCANNED = /\.(?:[cm]?[jt]sx?|py|go|java|kt|cs|rb|php|rs|ex|exs|scala|ya?ml|properties|toml|json)$/;
/** Look at no more than this much read text: the facts must stay cheap on big trees. */
const MAX_SCAN_BYTES = 8 * 1024 * 1024;

/** observability/metrics: which library and, when a read file shows it, where the metrics are exposed. */
export const metricsProbe: DepthProbe = {
  measure({ result, facts }) {
    const via = result.evidence[0];
    // A dependency's evidence snippet is its package name; a content match's is a line of config.
    const library = via?.snippet && /^[@\w][\w@./:-]*$/.test(via.snippet) && via.snippet.length <= 100 ? via.snippet : null;
    let endpoint: { route: string; at: string } | undefined;
    let scanned = 0;
    for (const [path, text] of facts.readTexts()) {
      if (!SCANNED.test(path) || /(?:^|\/)(?:package-lock|composer\.lock|yarn\.lock)/.test(path)) continue;
      scanned += text.length;
      if (scanned > MAX_SCAN_BYTES) break;
      if (!/metrics|prometheus|Prometheus|promhttp/.test(text)) continue;
      const m = EXPOSED.exec(text);
      if (!m) continue;
      const route = m[1] ?? m[3] ?? (m[2] ? "/actuator/prometheus" : "/metrics");
      endpoint = { route, at: `${path}:${lineAt(text, m.index)}` };
      break;
    }
    const where = via ? `${via.path}${via.line ? `:${via.line}` : ""}` : null;
    return {
      facts: { library, declaredAt: where, endpoint: endpoint?.route ?? null, endpointAt: endpoint?.at ?? null },
      summary: `${library ? `${library} (${where})` : where ? `scraped per ${where}` : ""}${endpoint ? `; exposed at ${endpoint.route} (${endpoint.at})` : "; no metrics endpoint seen in the files read"}`.trim(),
    };
  },
};
