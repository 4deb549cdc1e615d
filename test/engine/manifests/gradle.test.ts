import { describe, expect, it } from "vitest";
import { declared } from "./helpers.js";

const kts = `import org.jetbrains.kotlin.gradle.tasks.KotlinCompile

plugins {
    id("org.springframework.boot") version "3.2.4"
    id("io.spring.dependency-management") version "1.1.4"
    kotlin("jvm") version "1.9.23"
    kotlin("plugin.spring") version "1.9.23"
    jacoco
    \`java-library\`
    alias(libs.plugins.detekt)
}

group = "com.example"
version = "0.0.1-SNAPSHOT"

repositories {
    mavenCentral() // https://repo1.maven.org/maven2
}

dependencies {
    implementation("org.springframework.boot:spring-boot-starter-web")
    implementation("com.fasterxml.jackson.module:jackson-module-kotlin")
    implementation(kotlin("reflect"))
    implementation(platform("org.springframework.cloud:spring-cloud-dependencies:2023.0.1"))
    implementation(libs.resilience4j.spring.boot3)
    implementation(project(":shared"))
    // implementation("org.springframework.boot:spring-boot-starter-security")
    /* implementation("io.micrometer:micrometer-registry-prometheus") */
    runtimeOnly("org.postgresql:postgresql")
    developmentOnly("org.springframework.boot:spring-boot-devtools")
    annotationProcessor("org.springframework.boot:spring-boot-configuration-processor")
    testImplementation("org.springframework.boot:spring-boot-starter-test") {
        exclude(group = "org.mockito", module = "mockito-core")
    }
    testImplementation(group = "io.mockk", name = "mockk", version = "1.13.10")
    testRuntimeOnly("org.junit.platform:junit-platform-launcher")
}

tasks.withType<KotlinCompile> {
    kotlinOptions.jvmTarget = "17"
}
`;

const groovy = `buildscript {
    repositories { mavenCentral() }
    dependencies {
        classpath "org.springframework.boot:spring-boot-gradle-plugin:2.7.18"
    }
}

plugins {
    id 'java'
    id 'org.flywaydb.flyway' version '10.10.0'
}

apply plugin: 'jacoco'
apply plugin: "io.spring.dependency-management"

dependencies {
    implementation 'org.springframework.boot:spring-boot-starter-data-jpa'
    implementation "com.google.guava:guava:\${guavaVersion}"
    compileOnly 'org.projectlombok:lombok:1.18.32', 'org.mapstruct:mapstruct:1.5.5.Final'
    implementation group: 'org.apache.commons', name: 'commons-lang3', version: '3.14.0'
    implementation enforcedPlatform('com.amazonaws:aws-java-sdk-bom:1.12.700')
    implementation files('libs/legacy.jar')
    androidTestImplementation 'androidx.test.espresso:espresso-core:3.5.1'
    testImplementation('org.testcontainers:junit-jupiter:1.19.7') {
        exclude group: 'junit'
    }
}
`;

describe("build.gradle.kts", () => {
  it("reads the plugins block, configurations and wrappers", () => {
    expect(declared("build.gradle.kts", kts)).toEqual([
      ["org.springframework.boot", "plugin", 4],
      ["io.spring.dependency-management", "plugin", 5],
      ["org.jetbrains.kotlin.jvm", "plugin", 6],
      ["org.jetbrains.kotlin.plugin.spring", "plugin", 7],
      ["jacoco", "plugin", 8],
      ["java-library", "plugin", 9],
      ["org.springframework.boot:spring-boot-starter-web", "runtime", 21],
      ["com.fasterxml.jackson.module:jackson-module-kotlin", "runtime", 22],
      ["org.jetbrains.kotlin:kotlin-reflect", "runtime", 23],
      ["org.springframework.cloud:spring-cloud-dependencies", "runtime", 24],
      ["org.postgresql:postgresql", "runtime", 29],
      ["org.springframework.boot:spring-boot-devtools", "dev", 30],
      ["org.springframework.boot:spring-boot-configuration-processor", "runtime", 31],
      ["org.springframework.boot:spring-boot-starter-test", "dev", 32],
      ["io.mockk:mockk", "dev", 35],
      ["org.junit.platform:junit-platform-launcher", "dev", 36],
    ]);
  });
});

describe("build.gradle", () => {
  it("reads Groovy string, list and map notation, apply plugin and buildscript classpath", () => {
    expect(declared("app/build.gradle", groovy)).toEqual([
      ["java", "plugin", 9],
      ["org.flywaydb.flyway", "plugin", 10],
      ["jacoco", "plugin", 13],
      ["io.spring.dependency-management", "plugin", 14],
      ["org.springframework.boot:spring-boot-gradle-plugin", "plugin", 4],
      ["org.springframework.boot:spring-boot-starter-data-jpa", "runtime", 17],
      ["com.google.guava:guava", "runtime", 18],
      ["org.projectlombok:lombok", "runtime", 19],
      ["org.mapstruct:mapstruct", "runtime", 19],
      ["org.apache.commons:commons-lang3", "runtime", 20],
      ["com.amazonaws:aws-java-sdk-bom", "runtime", 21],
      ["androidx.test.espresso:espresso-core", "dev", 23],
      ["org.testcontainers:junit-jupiter", "dev", 24],
    ]);
  });

  it("reads KTS core plugins written as bare words and a one-line plugins block", () => {
    const script = `plugins { java; checkstyle; pmd }\napply(plugin = "com.github.spotbugs")\n`;
    expect(declared("build.gradle.kts", script)).toEqual([
      ["java", "plugin", 1],
      ["checkstyle", "plugin", 1],
      ["pmd", "plugin", 1],
      ["com.github.spotbugs", "plugin", 2],
    ]);
  });
});

describe("gradle/libs.versions.toml", () => {
  it("reads libraries in all three notations and plugins", () => {
    const catalog = `[versions]
spring-boot = "3.2.4"
kotlin = "1.9.23"

[libraries]
spring-boot-starter-web = { module = "org.springframework.boot:spring-boot-starter-web" }
kotlin = { group = "org.jetbrains.kotlin", name = "kotlin-stdlib", version.ref = "kotlin" }
jackson-kotlin = "com.fasterxml.jackson.module:jackson-module-kotlin:2.17.0"

[bundles]
web = ["spring-boot-starter-web", "jackson-kotlin"]

[plugins]
spring-boot = { id = "org.springframework.boot", version.ref = "spring-boot" }
detekt = "io.gitlab.arturbosch.detekt:1.23.6"
`;
    expect(declared("gradle/libs.versions.toml", catalog)).toEqual([
      ["org.springframework.boot:spring-boot-starter-web", "runtime", 6],
      ["org.jetbrains.kotlin:kotlin-stdlib", "runtime", 7],
      ["com.fasterxml.jackson.module:jackson-module-kotlin", "runtime", 8],
      ["org.springframework.boot", "plugin", 14],
      ["io.gitlab.arturbosch.detekt", "plugin", 15],
    ]);
  });
});
