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
]);

const MINIFIED = /[.-]min\.(?:js|css|mjs)$/;

/** True for paths in vendored/generated folders or minified files. */
export function isVendored(path: string): boolean {
  let start = 0;
  for (;;) {
    const slash = path.indexOf("/", start);
    if (slash === -1) break;
    if (VENDORED_DIRS.has(path.slice(start, slash))) return true;
    start = slash + 1;
  }
  return MINIFIED.test(path);
}
