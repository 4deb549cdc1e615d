/**
 * Comment blanking (every content rule matches blanked text): one large
 * file per syntax family, with the strings that look like comments.
 */
import { bench, describe } from "vitest";
import { withoutComments } from "../src/engine/matchers/comments.js";
import { bigJava, bigPython, bigTypeScript, bigYaml } from "./contents.js";

const kib = (s: string) => `${Math.round(s.length / 1024)} KiB`;
const inputs = [
  { path: "src/main/java/Generated.java", text: bigJava(10_000) },
  { path: "src/generated.ts", text: bigTypeScript(10_000) },
  { path: "service/generated.py", text: bigPython(10_000) },
  { path: "k8s/generated.yaml", text: bigYaml(10_000) },
];

describe("withoutComments, 10,000-line files", () => {
  for (const { path, text } of inputs) {
    bench(`${path.slice(path.lastIndexOf(".") + 1)} (${kib(text)})`, () => {
      withoutComments(path, text);
    }, { time: 600 });
  }
});
