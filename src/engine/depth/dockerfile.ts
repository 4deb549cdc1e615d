import { isDockerfilePath, parseDockerfile } from "../matchers/dockerfile.js";
import { plural } from "./leaves.js";
import type { DepthProbe } from "./types.js";

/** containers/dockerfile: stages, final image and whether the container says how to check its health. */
export const dockerfileProbe: DepthProbe = {
  measure({ result, facts }) {
    const files = facts.index.filterOnce("dockerfiles", isDockerfilePath);
    let healthcheck: string | null = null;
    for (const p of files) {
      const ins = facts.parsed("dockerfile", p, parseDockerfile);
      const hc = ins?.find((i) => i.keyword === "HEALTHCHECK" && !/^NONE\b/i.test(i.args));
      if (hc) {
        healthcheck = `${p}:${hc.line}`;
        break;
      }
    }
    const main = result.evidence[0]?.path;
    const ins = main ? facts.parsed("dockerfile", main, parseDockerfile) ?? [] : [];
    const froms = ins.filter((i) => i.keyword === "FROM");
    const finalImage = froms.length > 0 ? froms[froms.length - 1]!.args.replace(/^--\S+\s+/g, "").split(/\s+/)[0]! : null;
    return {
      facts: { dockerfiles: files.length, stages: froms.length, finalImage, healthcheck: healthcheck !== null, healthcheckAt: healthcheck },
      summary: `${plural(files.length, "Dockerfile")}${froms.length > 1 ? `, ${froms.length} stages` : ""}${finalImage ? `, final image ${finalImage}` : ""}; ${healthcheck ? "HEALTHCHECK present" : "no HEALTHCHECK"}`,
    };
  },
};
