import type { Report } from "./model.js";

/** The machine-readable report; its shape is documented by schemas/report.schema.json. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
