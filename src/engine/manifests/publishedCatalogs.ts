/**
 * Version catalogs whose entries are not in the repository: one generated from a BOM by the
 * `dev.aga.gradle.version-catalog-generator` settings plugin, and Micronaut's published platform
 * catalog (`mn`). A build script's accessor into such a catalog has no entry to resolve against,
 * but both name their aliases after the artifact by a documented rule, so the accessor's own name
 * tells the artifact, and for known publishers its group. Where the group cannot be told, the
 * artifact alone is the name (rule names without a group match it); a group is never guessed.
 */

export type PublishedCatalog =
  /** `generate("libs") { … }`; `naming` is "default" unless the block sets its own alias prefix or suffix function. */
  | { kind: "bom-generator"; naming: "default" | "custom-prefix" | "custom" }
  /** io.micronaut.platform:micronaut-platform, by `from("…")` or the io.micronaut.platform.catalog settings plugin. */
  | { kind: "micronaut-platform" };

export const CATALOG_GENERATOR_PLUGIN = "dev.aga.gradle.version-catalog-generator";
export const MICRONAUT_CATALOG_PLUGIN = "io.micronaut.platform.catalog";
/** The catalog the Micronaut settings plugin creates, and the coordinates it is created from. */
export const MICRONAUT_CATALOG_NAME = "mn";
export const MICRONAUT_PLATFORM = "io.micronaut.platform:micronaut-platform";

/** Provider calls that can follow an accessor in a script (`libs.foo.get()`); they are not part of the alias. */
const PROVIDER_CALLS = new Set(["get", "asProvider", "getOrNull", "orNull", "map", "flatMap", "orElse"]);

/** The accessor's alias segments as written, without trailing provider calls. */
export function aliasSegments(segments: readonly string[]): string[] {
  const out = [...segments];
  while (out.length > 0 && PROVIDER_CALLS.has(out[out.length - 1]!)) out.pop();
  return out;
}

/** The declared name an accessor into a published catalog stands for, or undefined when its name does not tell. */
export function publishedLibraryName(catalog: PublishedCatalog, segments: readonly string[]): string | undefined {
  const alias = aliasSegments(segments);
  return catalog.kind === "micronaut-platform" ? micronautName(alias) : generatedName(catalog.naming, alias);
}

/**
 * The generator names a BOM entry `<prefix>-<suffix>`: the prefix from the group (its last part,
 * or `spring` for every `org.springframework…` group), the suffix the artifact id in camelCase
 * with `.` and `_` read as `-`. So `libs.spring.springBootStarterWeb` is artifact
 * `spring-boot-starter-web`; an artifact id holding `.` or `_` comes back with `-` there.
 */
function generatedName(naming: "default" | "custom-prefix" | "custom", alias: readonly string[]): string | undefined {
  if (naming === "custom") return undefined;
  const suffix = alias[alias.length - 1];
  if (!suffix || !/^[a-z][A-Za-z0-9]*$/.test(suffix)) return undefined;
  // The default prefix is never blank: an accessor of one segment is not a BOM entry.
  if (naming === "default" && alias.length < 2) return undefined;
  const artifact = suffix.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const group = naming === "default" && alias.length === 2 && alias[0] === "spring" ? springGroup(artifact) : undefined;
  return group ? `${group}:${artifact}` : artifact;
}

/**
 * Groups of Spring projects' artifacts, as Spring Boot's BOM (spring-boot-dependencies) declares
 * them; only used when the generator's prefix says the group is `org.springframework…`.
 */
const SPRING_PROJECTS: ReadonlyArray<readonly [string, string]> = [
  ["spring-boot", "org.springframework.boot"],
  ["spring-security", "org.springframework.security"],
  ["spring-data", "org.springframework.data"],
  ["spring-session", "org.springframework.session"],
  ["spring-batch", "org.springframework.batch"],
  ["spring-integration", "org.springframework.integration"],
  ["spring-kafka", "org.springframework.kafka"],
  ["spring-amqp", "org.springframework.amqp"],
  ["spring-rabbit", "org.springframework.amqp"],
  ["spring-ldap", "org.springframework.ldap"],
  ["spring-restdocs", "org.springframework.restdocs"],
  ["spring-retry", "org.springframework.retry"],
  ["spring-hateoas", "org.springframework.hateoas"],
  ["spring-ws", "org.springframework.ws"],
  ["spring-graphql", "org.springframework.graphql"],
  ["spring-pulsar", "org.springframework.pulsar"],
  ["spring-cloud", "org.springframework.cloud"],
];
/** Spring Framework's modules (spring-framework-bom, group org.springframework). */
const SPRING_FRAMEWORK = new Set(
  "aop aspects beans context context-indexer context-support core core-test expression instrument jcl jdbc jms messaging orm oxm r2dbc test tx web webflux webmvc websocket"
    .split(" ")
    .map((m) => `spring-${m}`),
);
/** Legacy artifacts under a Spring project's prefix but in another group (org.springframework.security.oauth…). */
const SPRING_ELSEWHERE = new Set(["spring-security-oauth2", "spring-security-oauth2-autoconfigure"]);

function springGroup(artifact: string): string | undefined {
  if (SPRING_FRAMEWORK.has(artifact)) return "org.springframework";
  if (SPRING_ELSEWHERE.has(artifact)) return undefined;
  return SPRING_PROJECTS.find(([p]) => artifact === p || artifact.startsWith(`${p}-`))?.[1];
}

/**
 * Micronaut's catalogs name each module `micronaut-<project>` after its artifact id (micronaut-build's
 * BOM plugin); third-party aliases (`mn.lombok`, `mn.slf4j.jul.to.slf4j`) follow no rule and stay
 * unresolved. The group is the publishing module's: micronaut-core's projects are `io.micronaut`,
 * micronaut-sql's are `io.micronaut.sql`, every other module's artifacts start with its name.
 */
function micronautName(alias: readonly string[]): string | undefined {
  if (alias.length < 2 || alias[0] !== "micronaut" || !alias.every((s) => /^[a-z0-9]+$/.test(s))) return undefined;
  const project = alias.slice(1).join("-");
  const artifact = `micronaut-${project}`;
  const group = micronautGroup(project);
  return group ? `${group}:${artifact}` : artifact;
}

/** micronaut-core 4.x's published projects (settings.gradle). */
const MICRONAUT_CORE = new Set(
  ("aop buffer-netty core core-reactive core-processor context context-propagation discovery-core function function-client function-web graal " +
    "http http-client-core http-client http-client-jdk http-client-tck http-netty http-server http-server-tck http-server-netty http-tck " +
    "http-validation inject inject-groovy inject-groovy-test inject-java inject-java-test inject-kotlin inject-kotlin-test jackson-core " +
    "jackson-databind json-core management messaging retry router runtime runtime-osx websocket").split(" "),
);
/** micronaut-sql 4.x's projects, whose names do not start with the module's. */
const MICRONAUT_SQL = new Set(
  "jdbc jdbc-dbcp jdbc-hikari jdbc-tomcat jdbc-ucp jasync-sql hibernate-jpa hibernate-reactive jooq vertx-mysql-client vertx-pg-client jdbi".split(" "),
);
/** The platform's modules (micronaut-platform's `boms-*`: `<group>:micronaut-<module>-bom`). */
const MICRONAUT_MODULES: ReadonlyArray<readonly [string, string]> = (
  [
    ["acme", "io.micronaut.acme"], ["aot", "io.micronaut.aot"], ["aws", "io.micronaut.aws"], ["azure", "io.micronaut.azure"],
    ["cache", "io.micronaut.cache"], ["cassandra", "io.micronaut.cassandra"], ["chatbots", "io.micronaut.chatbots"],
    ["coherence", "io.micronaut.coherence"], ["control-panel", "io.micronaut.controlpanel"], ["core", "io.micronaut"],
    ["crac", "io.micronaut.crac"], ["data", "io.micronaut.data"], ["discovery-client", "io.micronaut.discovery"],
    ["eclipsestore", "io.micronaut.eclipsestore"], ["elasticsearch", "io.micronaut.elasticsearch"], ["email", "io.micronaut.email"],
    ["flyway", "io.micronaut.flyway"], ["gcp", "io.micronaut.gcp"], ["graal-languages", "io.micronaut.graal-languages"],
    ["graphql", "io.micronaut.graphql"], ["groovy", "io.micronaut.groovy"], ["grpc", "io.micronaut.grpc"], ["guice", "io.micronaut.guice"],
    ["hibernate-validator", "io.micronaut.beanvalidation"], ["jackson-xml", "io.micronaut.xml"], ["jaxrs", "io.micronaut.jaxrs"],
    ["jms", "io.micronaut.jms"], ["jmx", "io.micronaut.jmx"], ["json-schema", "io.micronaut.jsonschema"], ["kafka", "io.micronaut.kafka"],
    ["kotlin", "io.micronaut.kotlin"], ["kubernetes", "io.micronaut.kubernetes"], ["langchain4j", "io.micronaut.langchain4j"],
    ["liquibase", "io.micronaut.liquibase"], ["logging", "io.micronaut.logging"], ["mcp", "io.micronaut.mcp"],
    ["micrometer", "io.micronaut.micrometer"], ["microstream", "io.micronaut.microstream"], ["mongo", "io.micronaut.mongodb"],
    ["mqtt", "io.micronaut.mqtt"], ["multitenancy", "io.micronaut.multitenancy"], ["nats", "io.micronaut.nats"], ["neo4j", "io.micronaut.neo4j"],
    ["object-storage", "io.micronaut.objectstorage"], ["openapi", "io.micronaut.openapi"], ["openrewrite", "io.micronaut.openrewrite"],
    ["opensearch", "io.micronaut.opensearch"], ["oraclecloud", "io.micronaut.oraclecloud"], ["picocli", "io.micronaut.picocli"],
    ["problem-json", "io.micronaut.problem"], ["pulsar", "io.micronaut.pulsar"], ["r2dbc", "io.micronaut.r2dbc"],
    ["rabbitmq", "io.micronaut.rabbitmq"], ["reactor", "io.micronaut.reactor"], ["redis", "io.micronaut.redis"], ["rss", "io.micronaut.rss"],
    ["rxjava2", "io.micronaut.rxjava2"], ["rxjava3", "io.micronaut.rxjava3"], ["security", "io.micronaut.security"],
    ["serde", "io.micronaut.serde"], ["servlet", "io.micronaut.servlet"], ["session", "io.micronaut.session"],
    ["sourcegen", "io.micronaut.sourcegen"], ["spring", "io.micronaut.spring"], ["sql", "io.micronaut.sql"], ["test", "io.micronaut.test"],
    ["test-resources", "io.micronaut.testresources"], ["toml", "io.micronaut.toml"], ["tracing", "io.micronaut.tracing"],
    ["validation", "io.micronaut.validation"], ["views", "io.micronaut.views"],
  ] as const
)
  // Longest first, so micronaut-test-resources-client is test-resources' and not test's.
  .slice()
  .sort((a, b) => b[0].length - a[0].length);

function micronautGroup(project: string): string | undefined {
  if (MICRONAUT_CORE.has(project)) return "io.micronaut";
  if (MICRONAUT_SQL.has(project)) return "io.micronaut.sql";
  return MICRONAUT_MODULES.find(([m]) => project === m || project.startsWith(`${m}-`))?.[1];
}
