/**
 * Vendored and generated trees never count as evidence (CATALOG.md): a
 * candidate gets no credit for a Dockerfile inside node_modules/. Test
 * fixture trees are treated the same way: a pom.xml under testdata/ is data
 * for a test, not the project's build.
 */
const VENDORED_DIRS = new Set([
  "node_modules",
  "vendor",
  "dist",
  "build",
  "target",
  ".venv",
  "venv",
  "site-packages",
  "bower_components",
  "jspm_packages",
  ".git",
  ".tox",
  ".nox",
  ".gradle",
  ".mypy_cache",
  ".pytest_cache",
  "__pycache__",
  ".next",
  ".nuxt",
  "out",
  "obj",
  "Pods",
  "third_party",
  "third-party",
  "fixtures",
  "__fixtures__",
  "testdata",
  "test-fixtures",
  ".terraform",
  ".terragrunt-cache",
  ".serverless",
  "cdk.out",
  // Mix's fetched dependencies and build output (Elixir).
  "deps",
  "_build",
]);

const MINIFIED = /[.-]min\.(?:js|css|mjs)$/;
// One regex over the whole path: no per-segment strings on a 90,000-file listing.
const VENDORED_PATH = new RegExp(`(?:^|/)(?:${[...VENDORED_DIRS].map((d) => d.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})/`);

/** True for paths in vendored/generated folders or minified files. */
export function isVendored(path: string): boolean {
  return VENDORED_PATH.test(path) || MINIFIED.test(path);
}
