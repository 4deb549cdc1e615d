import { describe, it, expect } from "vitest";
import type { DeclaredDependency } from "../../src/engine/manifests/types.js";
import { detectFrameworks } from "../../src/stack/index.js";

type Eco = DeclaredDependency["ecosystem"];

function dep(ecosystem: Eco, name: string, path: string, line?: number, kind: DeclaredDependency["kind"] = "runtime"): DeclaredDependency {
  return line === undefined ? { ecosystem, name, kind, path } : { ecosystem, name, kind, path, line };
}

const names = (deps: DeclaredDependency[], paths: string[] = []) => detectFrameworks(deps, paths).map((f) => f.name);

describe("detectFrameworks: Play and Phoenix", () => {
  it("finds Play from its sbt plugin or server artifacts, not from play-json alone", () => {
    expect(names([dep("sbt", "org.playframework:sbt-plugin", "project/plugins.sbt", 1, "plugin")])).toEqual(["Play"]);
    expect(names([dep("sbt", "com.typesafe.play:sbt-plugin", "project/plugins.sbt", 1, "plugin")])).toEqual(["Play"]);
    expect(names([dep("sbt", "org.playframework:play-guice", "build.sbt", 3)])).toEqual(["Play"]);
    expect(names([dep("sbt", "org.playframework:play-json", "build.sbt", 3), dep("sbt", "com.typesafe.play:play-ws-standalone", "build.sbt", 4)])).toEqual([]);
  });

  it("finds Phoenix from mix.exs, not from a dev-only or other hex package", () => {
    expect(detectFrameworks([dep("hex", "phoenix", "mix.exs", 12)], [])).toEqual([{ name: "Phoenix", evidence: { path: "mix.exs", line: 12 } }]);
    expect(names([dep("hex", "phoenix_pubsub", "mix.exs", 12), dep("hex", "phoenix", "mix.exs", 13, "dev")])).toEqual([]);
  });
});

describe("detectFrameworks: JVM", () => {
  it("finds Spring Boot from a Maven starter with its evidence", () => {
    const found = detectFrameworks(
      [
        dep("maven", "com.fasterxml.jackson.core:jackson-databind", "pom.xml", 20),
        dep("maven", "org.springframework.boot:spring-boot-starter-web", "pom.xml", 25),
        dep("maven", "org.springframework.boot:spring-boot-maven-plugin", "pom.xml", 60, "plugin"),
      ],
      [],
    );
    expect(found).toEqual([{ name: "Spring Boot", evidence: { path: "pom.xml", line: 25 } }]);
  });

  it("finds Spring Boot from the Gradle plugin id", () => {
    const found = detectFrameworks([dep("gradle", "org.springframework.boot", "build.gradle.kts", 3, "plugin")], []);
    expect(found).toEqual([{ name: "Spring Boot", evidence: { path: "build.gradle.kts", line: 3 } }]);
  });

  it("does not take Spring Framework alone or a look-alike group for Spring Boot", () => {
    expect(names([dep("maven", "org.springframework:spring-webmvc", "pom.xml")])).toEqual([]);
    expect(names([dep("maven", "org.springframework.bootx:thing", "pom.xml")])).toEqual([]);
  });

  it("finds Quarkus, Micronaut and Ktor", () => {
    expect(names([dep("maven", "io.quarkus:quarkus-resteasy-reactive", "pom.xml")])).toEqual(["Quarkus"]);
    expect(names([dep("gradle", "io.quarkus", "build.gradle", 2, "plugin")])).toEqual(["Quarkus"]);
    expect(names([dep("gradle", "io.micronaut:micronaut-http-server-netty", "build.gradle")])).toEqual(["Micronaut"]);
    expect(names([dep("gradle", "io.micronaut.application", "build.gradle", 1, "plugin")])).toEqual(["Micronaut"]);
    expect(names([dep("gradle", "io.ktor:ktor-server-netty-jvm", "build.gradle.kts")])).toEqual(["Ktor"]);
    expect(names([dep("gradle", "io.ktor.plugin", "build.gradle.kts", 4, "plugin")])).toEqual(["Ktor"]);
  });

  it("does not take the Ktor HTTP client for a Ktor backend", () => {
    expect(names([dep("gradle", "io.ktor:ktor-client-cio", "build.gradle.kts")])).toEqual([]);
  });
});

describe("detectFrameworks: other ecosystems", () => {
  it("finds Python frameworks with PEP 503 name equivalence", () => {
    expect(
      names([
        dep("pypi", "Django", "requirements.txt", 1),
        dep("pypi", "DjangoRestFramework", "requirements.txt", 2),
        dep("pypi", "fastapi", "pyproject.toml", 9),
        dep("pypi", "Flask", "requirements.txt", 4),
      ]),
    ).toEqual(["Django", "Django REST Framework", "FastAPI", "Flask"]);
    expect(names([dep("pypi", "flask_sqlalchemy", "requirements.txt")])).toEqual([]);
  });

  it("finds Node frameworks", () => {
    expect(
      names([
        dep("npm", "express", "package.json", 10),
        dep("npm", "@nestjs/core", "package.json", 11),
        dep("npm", "fastify", "package.json", 12),
        dep("npm", "koa", "package.json", 13),
        dep("npm", "@hapi/hapi", "package.json", 14),
        dep("npm", "next", "web/package.json", 5),
      ]),
    ).toEqual(["Express", "NestJS", "Fastify", "Koa", "Hapi", "Next.js"]);
    expect(names([dep("npm", "@types/express", "package.json"), dep("npm", "express-validator", "package.json")])).toEqual([]);
  });

  it("finds Go frameworks, ignoring the major-version suffix", () => {
    expect(
      names([
        dep("go", "github.com/gin-gonic/gin", "go.mod", 5),
        dep("go", "github.com/labstack/echo/v4", "go.mod", 6),
        dep("go", "github.com/gofiber/fiber/v2", "go.mod", 7),
        dep("go", "github.com/go-chi/chi/v5", "go.mod", 8),
      ]),
    ).toEqual(["Gin", "Echo", "Fiber", "Chi"]);
    expect(names([dep("go", "github.com/gin-contrib/cors", "go.mod")])).toEqual([]);
  });

  it("finds ASP.NET Core from server packages only", () => {
    expect(names([dep("nuget", "Microsoft.AspNetCore.Authentication.JwtBearer", "Api/Api.csproj", 12)])).toEqual(["ASP.NET Core"]);
    expect(names([dep("nuget", "microsoft.aspnetcore.components.webassembly.server", "Api/Api.csproj")])).toEqual(["ASP.NET Core"]);
    expect(
      names([
        dep("nuget", "Microsoft.AspNetCore.SignalR.Client", "Client/Client.csproj"),
        dep("nuget", "Microsoft.AspNetCore.Components.WebAssembly", "Client/Client.csproj"),
        dep("nuget", "Microsoft.EntityFrameworkCore", "Api/Api.csproj"),
      ]),
    ).toEqual([]);
  });

  it("finds Ruby, PHP and Rust frameworks", () => {
    expect(names([dep("rubygems", "rails", "Gemfile", 3), dep("rubygems", "sinatra", "Gemfile", 4)])).toEqual(["Rails", "Sinatra"]);
    expect(
      names([dep("composer", "laravel/framework", "composer.json", 8), dep("composer", "symfony/framework-bundle", "composer.json", 9)]),
    ).toEqual(["Laravel", "Symfony"]);
    expect(
      names([dep("cargo", "actix_web", "Cargo.toml", 7), dep("cargo", "axum", "Cargo.toml", 8), dep("cargo", "rocket", "Cargo.toml", 9)]),
    ).toEqual(["Actix Web", "Axum", "Rocket"]);
  });

  it("matches a name only in its own ecosystem", () => {
    expect(names([dep("npm", "django", "package.json"), dep("pypi", "express", "requirements.txt")])).toEqual([]);
  });
});

describe("detectFrameworks: duplicates and kinds", () => {
  it("reports each framework once, with the first declaration as evidence", () => {
    const found = detectFrameworks(
      [
        dep("gradle", "org.springframework.boot", "service-a/build.gradle", 2, "plugin"),
        dep("gradle", "org.springframework.boot:spring-boot-starter-web", "service-a/build.gradle", 14),
        dep("maven", "org.springframework.boot:spring-boot-starter", "service-b/pom.xml", 30),
        dep("npm", "express", "api/package.json", 7),
        dep("npm", "express", "worker/package.json", 9),
      ],
      [],
    );
    expect(found).toEqual([
      { name: "Spring Boot", evidence: { path: "service-a/build.gradle", line: 2 } },
      { name: "Express", evidence: { path: "api/package.json", line: 7 } },
    ]);
  });

  it("ignores dev dependencies", () => {
    expect(names([dep("npm", "express", "package.json", 20, "dev")])).toEqual([]);
    const found = detectFrameworks(
      [dep("maven", "org.springframework.boot:spring-boot-starter-test", "pom.xml", 40, "dev"), dep("maven", "org.springframework.boot:spring-boot-starter-web", "pom.xml", 30)],
      [],
    );
    expect(found).toEqual([{ name: "Spring Boot", evidence: { path: "pom.xml", line: 30 } }]);
  });

  it("omits line when the declaration has none", () => {
    expect(detectFrameworks([dep("cargo", "axum", "Cargo.toml")], [])).toEqual([{ name: "Axum", evidence: { path: "Cargo.toml" } }]);
  });
});

describe("detectFrameworks: file conventions", () => {
  it("finds Django from manage.py beside <project>/settings.py", () => {
    expect(detectFrameworks([], ["backend/manage.py", "backend/mysite/settings.py", "backend/mysite/urls.py"])).toEqual([
      { name: "Django", evidence: { path: "backend/manage.py" } },
    ]);
    expect(names([], ["manage.py", "config/settings/base.py"])).toEqual(["Django"]);
  });

  it("does not take a lone manage.py (Flask-Script) for Django", () => {
    expect(names([], ["manage.py", "app/__init__.py", "app/views.py"])).toEqual([]);
    expect(names([], ["manage.py", "settings.py"])).toEqual([]);
  });

  it("finds Laravel, Rails, Next.js and NestJS layouts", () => {
    expect(names([], ["artisan", "bootstrap/app.php"])).toEqual(["Laravel"]);
    expect(names([], ["api/bin/rails", "api/config/routes.rb"])).toEqual(["Rails"]);
    expect(names([], ["robin/rails", "config/routes.rb"])).toEqual([]);
    expect(names([], ["web/next.config.mjs"])).toEqual(["Next.js"]);
    expect(names([], ["nest-cli.json"])).toEqual(["NestJS"]);
  });

  it("prefers dependency evidence over a file convention", () => {
    const found = detectFrameworks([dep("npm", "next", "package.json", 12)], ["next.config.js"]);
    expect(found).toEqual([{ name: "Next.js", evidence: { path: "package.json", line: 12 } }]);
  });
});
