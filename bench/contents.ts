/**
 * File contents for the engine micro-benchmarks, generated from a seed:
 * large source files with every comment form their syntax has (and the
 * strings that look like comments but are not), manifests the size of a
 * real monorepo's, a many-job workflow, and a small service tree.
 */
import { monorepoPaths, prng } from "./synthetic.js";

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const WORDS = ["order", "payment", "invoice", "customer", "cache", "queue", "retry", "token", "session", "report", "metric", "span"];

/** A Java source of about `lines` lines: Javadoc, line and block comments, strings holding `//` and `/*`, text blocks. */
export function bigJava(lines: number, seed = 1): string {
  const r = prng(seed);
  const out = ["/*", " * Licensed to the Apache Software Foundation (ASF) under one", " * or more contributor license agreements.", " */", "package org.acme.bench;", "", "import java.util.*;", ""];
  out.push("public final class Generated {");
  for (let m = 0; out.length < lines; m++) {
    const w = pick(r, WORDS);
    out.push(
      "    /**",
      `     * Returns the ${w} for the given id; see {@link #${w}Cache}.`,
      "     * @param id the id // not a comment end */",
      "     */",
      `    public String ${w}${m}(String id) {`,
      `        // TODO(${w}): cache this lookup`,
      `        String url = "http://example.com/${w}/" + id; // trailing comment`,
      `        String glob = "/* not a comment */";`,
      `        char c = '"';`,
      `        /* block ${m} */ int n = id.length();`,
      "        String sql = \"\"\"",
      `            SELECT * FROM ${w} -- inside a text block`,
      "            WHERE id = ?",
      "            \"\"\";",
      `        return url + glob + c + n + sql;`,
      "    }",
      "",
    );
  }
  out.push("}");
  return out.join("\n");
}

/** TypeScript: template literals spanning lines (with `//` inside), regex-like strings, JSDoc. */
export function bigTypeScript(lines: number, seed = 2): string {
  const r = prng(seed);
  const out = ["// SPDX-License-Identifier: MIT", 'import { readFile } from "node:fs/promises";', ""];
  for (let f = 0; out.length < lines; f++) {
    const w = pick(r, WORDS);
    out.push(
      "/**",
      ` * Loads the ${w} (see https://example.com/docs#${w}).`,
      " */",
      `export async function load${w}${f}(id: string): Promise<string> {`,
      `  const url = \`https://api.example.com/${w}/\${id} // not a comment`,
      "  and a second line of the template`;",
      `  const re = "^/\\\\*.*\\\\*/$"; // a regex source in a string`,
      `  /* eslint-disable-next-line */ const text = await readFile(url, "utf8");`,
      "  return text.replace(/\\/\\/.*$/gm, ''); // strip",
      "}",
      "",
    );
  }
  return out.join("\n");
}

/** Python: docstrings, `#` comments, strings holding `#`. */
export function bigPython(lines: number, seed = 3): string {
  const r = prng(seed);
  const out = ["#!/usr/bin/env python3", '"""Service module."""', "import os", ""];
  for (let f = 0; out.length < lines; f++) {
    const w = pick(r, WORDS);
    out.push(
      `def load_${w}_${f}(item_id: str) -> str:`,
      `    """Return the ${w} for an id.`,
      "",
      "    # this line is inside a docstring, not a comment",
      '    """',
      `    colour = "#fff"  # a colour, then a comment`,
      `    path = f"/${w}/{item_id}"  # noqa: E501`,
      "    # return cached value when present",
      "    return os.environ.get(path, colour)",
      "",
    );
  }
  return out.join("\n");
}

/** YAML (Kubernetes-style): comments after values, `#` inside quoted and plain scalars. */
export function bigYaml(lines: number, seed = 4): string {
  const r = prng(seed);
  const out = ["# Generated manifests", "---"];
  for (let d = 0; out.length < lines; d++) {
    const w = pick(r, WORDS);
    out.push(
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      `  name: ${w}-${d} # the ${w} service`,
      "  annotations:",
      `    note: "colour #336699 and a # inside quotes"`,
      "spec:",
      "  replicas: 3",
      "  template:",
      "    spec:",
      "      containers:",
      `        - name: ${w}`,
      `          image: ghcr.io/acme/${w}:1.${d}.0`,
      "          # resources:",
      "          #   limits: { memory: 256Mi }",
      "          readinessProbe: { httpGet: { path: /health, port: 8080 } }",
      "---",
    );
  }
  return out.join("\n");
}

const NPM = ["express", "fastify", "pino", "prom-client", "ioredis", "bullmq", "zod", "ajv", "pg", "knex", "prisma", "@opentelemetry/api", "jsonwebtoken", "helmet", "cors"];
const NPM_DEV = ["typescript", "vitest", "eslint", "prettier", "@types/node", "supertest", "nock", "tsx", "husky", "lint-staged"];

/** A monorepo root package.json: workspaces, scripts, ~`deps` dependencies of each kind. */
export function packageJson(deps: number): string {
  const dependencies: Record<string, string> = {};
  const devDependencies: Record<string, string> = {};
  for (let i = 0; i < deps; i++) {
    dependencies[i < NPM.length ? NPM[i]! : `@acme/lib-${i}`] = `^${1 + (i % 9)}.${i % 13}.0`;
    devDependencies[i < NPM_DEV.length ? NPM_DEV[i]! : `@acme/tool-${i}`] = `~${i % 5}.${i % 7}.1`;
  }
  return JSON.stringify(
    {
      name: "acme-monorepo",
      private: true,
      workspaces: ["packages/*", "services/*"],
      scripts: { build: "tsc -b", test: "vitest run", lint: "eslint .", "test:coverage": "vitest run --coverage" },
      dependencies,
      devDependencies,
      peerDependencies: { react: "^18.0.0" },
      optionalDependencies: { fsevents: "^2.3.3" },
    },
    null,
    2,
  );
}

/** A Spring Boot parent pom: dependencyManagement, `deps` dependencies, plugins, a profile. */
export function pomXml(deps: number): string {
  const dep = (g: string, a: string, scope?: string) =>
    `      <dependency>\n        <groupId>${g}</groupId>\n        <artifactId>${a}</artifactId>\n        <version>\${${a}.version}</version>${scope ? `\n        <scope>${scope}</scope>` : ""}\n      </dependency>`;
  const list: string[] = [];
  for (let i = 0; i < deps; i++) list.push(dep(i % 3 === 0 ? "org.springframework.boot" : `com.acme.${i % 7}`, i % 3 === 0 ? `spring-boot-starter-${["web", "actuator", "data-jpa", "validation"][i % 4]}-${i}` : `lib-${i}`, i % 5 === 0 ? "test" : undefined));
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent>
  <groupId>com.acme</groupId><artifactId>platform</artifactId><version>1.0.0</version><packaging>pom</packaging>
  <modules>${Array.from({ length: 20 }, (_, i) => `<module>module-${i}</module>`).join("")}</modules>
  <!-- <dependency><artifactId>commented-out</artifactId></dependency> -->
  <dependencyManagement>
    <dependencies>
${list.slice(0, deps / 2).join("\n")}
    </dependencies>
  </dependencyManagement>
  <dependencies>
${list.slice(deps / 2).join("\n")}
  </dependencies>
  <build>
    <plugins>
      <plugin><groupId>org.jacoco</groupId><artifactId>jacoco-maven-plugin</artifactId><version>0.8.12</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId></plugin>
      <plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin>
    </plugins>
  </build>
  <profiles><profile><id>it</id><dependencies>${dep("org.testcontainers", "postgresql", "test")}</dependencies></profile></profiles>
</project>
`;
}

/** pyproject.toml with PEP 621 dependencies, optional groups and Poetry groups. */
export function pyproject(deps: number): string {
  const names = Array.from({ length: deps }, (_, i) => `acme-lib-${i}`);
  return `[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "acme-service"
version = "1.0.0"
requires-python = ">=3.11"
dependencies = [
  "fastapi>=0.110",
  "sqlalchemy[asyncio]>=2.0",
  "redis>=5",
${names.map((n, i) => `  "${n}>=${i % 4}.${i % 9}; python_version >= '3.11'",`).join("\n")}
]

[project.optional-dependencies]
test = ["pytest>=8", "pytest-cov", "httpx"]
docs = ["mkdocs-material"]

[tool.poetry.group.dev.dependencies]
mypy = "^1.10"
ruff = "^0.4"
${names.slice(0, deps / 4).map((n) => `${n}-dev = "^1.0"`).join("\n")}

[tool.pytest.ini_options]
addopts = "--cov=acme --cov-fail-under=80"
`;
}

/** A Gradle version catalog with `libs` libraries, bundles and plugins. */
export function versionCatalog(libs: number): string {
  const lines = ["[versions]", 'kotlin = "2.0.0"', 'spring = "3.3.0"', "", "[libraries]"];
  for (let i = 0; i < libs; i++) lines.push(`acme-lib${i} = { module = "com.acme:lib-${i}", version.ref = "spring" }`);
  lines.push('spring-boot-starter-web = { module = "org.springframework.boot:spring-boot-starter-web", version.ref = "spring" }');
  lines.push('junit-jupiter = "org.junit.jupiter:junit-jupiter:5.10.2"', "", "[bundles]");
  lines.push(`acme = [${Array.from({ length: Math.min(libs, 20) }, (_, i) => `"acme-lib${i}"`).join(", ")}]`, "", "[plugins]");
  lines.push('spring-boot = { id = "org.springframework.boot", version.ref = "spring" }', 'kotlin-jvm = { id = "org.jetbrains.kotlin.jvm", version.ref = "kotlin" }');
  return lines.join("\n") + "\n";
}

/** A module's build.gradle.kts referencing the catalog. */
export function gradleModuleScript(module: number, libs: number): string {
  const refs = Array.from({ length: 12 }, (_, i) => `    implementation(libs.acme.lib${(module * 7 + i) % libs})`);
  return `plugins {
    alias(libs.plugins.spring.boot)
    alias(libs.plugins.kotlin.jvm)
}

dependencies {
    implementation(libs.spring.boot.starter.web)
    implementation(libs.bundles.acme)
${refs.join("\n")}
    // implementation(libs.acme.commented.out)
    testImplementation(libs.junit.jupiter)
    testImplementation("org.testcontainers:postgresql:1.19.8")
}
`;
}

export function settingsGradle(modules: number): string {
  return `rootProject.name = "acme"\n${Array.from({ length: modules }, (_, i) => `include(":module-${i}")`).join("\n")}\n`;
}

/** A GitHub Actions workflow with `jobs` jobs: matrices, multi-line run blocks, conditions, comments. */
export function bigWorkflow(jobs: number, seed = 5): string {
  const r = prng(seed);
  const out = ["name: CI", "on:", "  push: { branches: [main] }", "  pull_request:", "permissions:", "  contents: read", "env:", "  NODE_VERSION: 20", "jobs:"];
  for (let j = 0; j < jobs; j++) {
    const w = pick(r, WORDS);
    out.push(
      `  ${w}-${j}:`,
      `    name: ${w} (${j})`,
      "    runs-on: ${{ matrix.os }}",
      ...(j % 7 === 6 ? ["    if: false"] : []),
      "    strategy:",
      "      matrix:",
      "        os: [ubuntu-latest, windows-latest]",
      "        node: [18, 20, 22]",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "      - uses: actions/setup-node@v4",
      "        with:",
      "          node-version: ${{ matrix.node }}",
      "          cache: npm",
      "      # - run: npm test -- --skipped",
      "      - name: Install",
      "        run: npm ci",
      "      - name: Build and check",
      "        run: |",
      `          echo "building ${w}"`,
      "          npm run build --workspace packages/" + w,
      "          npm run lint",
      "      - name: Test",
      `        run: npx vitest run --project ${w} --coverage`,
      "        env:",
      "          CI: true",
      "      - uses: actions/upload-artifact@v4",
      "        if: always()",
      "        with:",
      `          name: coverage-${w}-${j}`,
      "          path: coverage/",
    );
  }
  return out.join("\n") + "\n";
}

const SOURCE: Record<string, (seed: number) => string> = {
  java: (s) => bigJava(120, s),
  kt: (s) => bigJava(80, s),
  ts: (s) => bigTypeScript(90, s),
  tsx: (s) => bigTypeScript(60, s),
  js: (s) => bigTypeScript(60, s),
  py: (s) => bigPython(80, s),
  go: (s) => `package main\n\n// main starts the ${s} tool.\nfunc main() {\n\tprintln("ok") // done\n}\n`,
  yml: (s) => bigYaml(40, s),
  yaml: (s) => bigYaml(40, s),
};

const ROOT_CONTENT: Record<string, string> = {
  "README.md": "# Acme platform\n\n```mermaid\nflowchart LR\n  api --> db\n```\n\n## Running\n\n`docker compose up`\n",
  Dockerfile: "FROM eclipse-temurin:21-jdk AS build\nWORKDIR /src\nCOPY . .\nRUN ./gradlew build\n\nFROM eclipse-temurin:21-jre\nUSER 10001\nCOPY --from=build /src/build/libs/app.jar /app.jar\nHEALTHCHECK CMD curl -f http://localhost:8080/health\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n",
  "docker-compose.yml": "services:\n  app:\n    build: .\n    ports: [\"8080:8080\"]\n    depends_on: [redis, db]\n  redis:\n    image: redis:7\n  db:\n    image: postgres:16\n",
  ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: { interval: weekly }\n",
  ".github/CODEOWNERS": "* @acme/platform\n",
  "SECURITY.md": "# Security\n\nReport vulnerabilities to security@acme.example.\n",
  "CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- First release.\n",
  "CONTRIBUTING.md": "# Contributing\n\nRun `npm test` before opening a pull request.\n",
  "LICENSE": "MIT License\n",
  "docs/openapi.yaml": "openapi: 3.1.0\ninfo: { title: Acme, version: 1.0.0 }\npaths:\n  /orders/{id}:\n    get:\n      responses: { '200': { description: ok } }\n",
  "settings.gradle.kts": settingsGradle(10),
  "gradle/libs.versions.toml": versionCatalog(60),
  "package.json": packageJson(40),
  "db/migrations/V1__init.sql": "-- orders\nCREATE TABLE orders (id bigint primary key);\nCREATE INDEX orders_created ON orders (id);\n",
  "k8s/deployment.yaml": bigYaml(30, 9),
};

/**
 * A service monorepo of about `target` files held in memory, contents
 * included: the shape of the big listing at a few thousand files.
 */
export function serviceTree(target = 3000): Record<string, string> {
  const tree: Record<string, string> = {};
  const paths = monorepoPaths(target, 17);
  const bySyntax = new Map<string, string>();
  let seed = 100;
  for (const path of paths) {
    const base = path.slice(path.lastIndexOf("/") + 1);
    const ext = base.slice(base.lastIndexOf(".") + 1);
    let text = ROOT_CONTENT[path];
    if (text === undefined && path.startsWith(".github/workflows/")) text = bigWorkflow(12, seed++);
    else if (text === undefined && base === "package.json") text = packageJson(12);
    else if (text === undefined && base === "pyproject.toml") text = pyproject(15);
    else if (text === undefined && base === "build.gradle.kts") text = gradleModuleScript(seed++, 60);
    else if (text === undefined && base === "pom.xml") text = pomXml(30);
    else if (text === undefined && SOURCE[ext]) {
      // A handful of distinct bodies per type: realistic sizes without generating 3,000 files' worth of text.
      const key = `${ext}:${seed++ % 8}`;
      text = bySyntax.get(key) ?? SOURCE[ext]!(seed);
      bySyntax.set(key, text);
    }
    tree[path] = text ?? `${base}\n`;
  }
  return tree;
}
