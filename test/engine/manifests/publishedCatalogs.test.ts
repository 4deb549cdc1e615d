import { describe, expect, it } from "vitest";
import { aliasSegments, publishedLibraryName, type PublishedCatalog } from "../../../src/engine/manifests/publishedCatalogs.js";

const generated: PublishedCatalog = { kind: "bom-generator", naming: "default" };
const micronaut: PublishedCatalog = { kind: "micronaut-platform" };
const name = (catalog: PublishedCatalog, accessor: string) => publishedLibraryName(catalog, accessor.split("."));

describe("accessors into a catalog generated from a BOM", () => {
  it("reads the artifact from the camelCase suffix, and Spring's groups from the spring prefix", () => {
    expect(name(generated, "spring.springBootStarterWeb")).toBe("org.springframework.boot:spring-boot-starter-web");
    expect(name(generated, "spring.springBootStarterOauth2ResourceServer")).toBe("org.springframework.boot:spring-boot-starter-oauth2-resource-server");
    expect(name(generated, "spring.springWeb")).toBe("org.springframework:spring-web");
    expect(name(generated, "spring.springSecurityTest")).toBe("org.springframework.security:spring-security-test");
    expect(name(generated, "spring.springRabbitStream")).toBe("org.springframework.amqp:spring-rabbit-stream");
  });

  it("gives the artifact alone when the prefix does not tell the group", () => {
    expect(name(generated, "projectlombok.lombok")).toBe("lombok");
    expect(name(generated, "jackson.jacksonDatatypeJsr310")).toBe("jackson-datatype-jsr310");
    // A group ending in .spring also gets the spring prefix: only Spring's own artifact names get a group.
    expect(name(generated, "spring.mapstructSpringAnnotations")).toBe("mapstruct-spring-annotations");
    expect(name(generated, "spring.springSecurityOauth2")).toBe("spring-security-oauth2");
    expect(name(generated, "spring.springFoo")).toBe("spring-foo");
  });

  it("drops provider calls and refuses what the default naming cannot produce", () => {
    expect(aliasSegments(["spring", "springBootStarterWeb", "get"])).toEqual(["spring", "springBootStarterWeb"]);
    expect(name(generated, "spring.springBootStarterWeb.get")).toBe("org.springframework.boot:spring-boot-starter-web");
    expect(name(generated, "lombok")).toBeUndefined();
    expect(name(generated, "spring.spring_web")).toBeUndefined();
  });

  it("without a group under a custom prefix, and not at all under custom suffixes", () => {
    expect(name({ kind: "bom-generator", naming: "custom-prefix" }, "s3")).toBe("s3");
    expect(name({ kind: "bom-generator", naming: "custom-prefix" }, "spring.springBootStarterWeb")).toBe("spring-boot-starter-web");
    expect(name({ kind: "bom-generator", naming: "custom" }, "spring.springBootStarterWeb")).toBeUndefined();
  });
});

describe("accessors into Micronaut's platform catalog", () => {
  it("names micronaut-* aliases after the artifact, in the publishing module's group", () => {
    expect(name(micronaut, "micronaut.http.client")).toBe("io.micronaut:micronaut-http-client");
    expect(name(micronaut, "micronaut.management")).toBe("io.micronaut:micronaut-management");
    expect(name(micronaut, "micronaut.data.jdbc")).toBe("io.micronaut.data:micronaut-data-jdbc");
    expect(name(micronaut, "micronaut.jdbc.hikari")).toBe("io.micronaut.sql:micronaut-jdbc-hikari");
    expect(name(micronaut, "micronaut.hibernate.jpa")).toBe("io.micronaut.sql:micronaut-hibernate-jpa");
    expect(name(micronaut, "micronaut.test.junit5")).toBe("io.micronaut.test:micronaut-test-junit5");
    expect(name(micronaut, "micronaut.test.resources.client")).toBe("io.micronaut.testresources:micronaut-test-resources-client");
    expect(name(micronaut, "micronaut.mongo.sync")).toBe("io.micronaut.mongodb:micronaut-mongo-sync");
    expect(name(micronaut, "micronaut.validation.processor")).toBe("io.micronaut.validation:micronaut-validation-processor");
    expect(name(micronaut, "micronaut.micrometer.registry.prometheus")).toBe("io.micronaut.micrometer:micronaut-micrometer-registry-prometheus");
  });

  it("gives the artifact alone for a module it does not know, and nothing for third-party aliases", () => {
    expect(name(micronaut, "micronaut.http.server.jetty")).toBe("micronaut-http-server-jetty");
    expect(name(micronaut, "lombok")).toBeUndefined();
    expect(name(micronaut, "slf4j.jul.to.slf4j")).toBeUndefined();
    expect(name(micronaut, "micronaut")).toBeUndefined();
  });
});
