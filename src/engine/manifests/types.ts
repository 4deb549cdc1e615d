import type { Ecosystem } from "../types.js";

/** One package declared in a manifest. */
export interface DeclaredDependency {
  ecosystem: Ecosystem;
  /** As written, e.g. "express", "org.springframework.boot:spring-boot-starter-web", "github.com/gin-gonic/gin". */
  name: string;
  kind: "runtime" | "dev" | "plugin";
  /** Manifest path relative to the tree root. */
  path: string;
  /** 1-based line of the declaration when it can be found. */
  line?: number;
}
