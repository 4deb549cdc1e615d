import { describe, expect, it } from "vitest";
import { declared } from "./helpers.js";

const springPom = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
    <modelVersion>4.0.0</modelVersion>
    <parent>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-starter-parent</artifactId>
        <version>3.2.4</version>
        <relativePath/> <!-- lookup parent from repository -->
    </parent>
    <groupId>com.example</groupId>
    <artifactId>orders</artifactId>
    <version>0.0.1-SNAPSHOT</version>
    <properties>
        <java.version>17</java.version>
    </properties>
    <dependencies>
        <dependency>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-web</artifactId>
        </dependency>
        <!--
        <dependency>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-security</artifactId>
        </dependency>
        -->
        <dependency>
            <groupId>org.postgresql</groupId>
            <artifactId>postgresql</artifactId>
            <scope>runtime</scope>
        </dependency>
        <dependency>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-test</artifactId>
            <scope>test</scope>
        </dependency>
    </dependencies>
    <dependencyManagement>
        <dependencies>
            <dependency>
                <groupId>org.testcontainers</groupId>
                <artifactId>testcontainers-bom</artifactId>
                <version>1.19.7</version>
                <type>pom</type>
                <scope>import</scope>
            </dependency>
        </dependencies>
    </dependencyManagement>
    <build>
        <plugins>
            <plugin>
                <groupId>org.springframework.boot</groupId>
                <artifactId>spring-boot-maven-plugin</artifactId>
            </plugin>
            <plugin>
                <artifactId>maven-surefire-plugin</artifactId>
            </plugin>
        </plugins>
        <pluginManagement>
            <plugins>
                <plugin>
                    <groupId>org.jacoco</groupId>
                    <artifactId>jacoco-maven-plugin</artifactId>
                    <version>0.8.11</version>
                </plugin>
            </plugins>
        </pluginManagement>
    </build>
    <profiles>
        <profile>
            <id>integration</id>
            <dependencies>
                <dependency>
                    <groupId>org.testcontainers</groupId>
                    <artifactId>postgresql</artifactId>
                    <scope>test</scope>
                </dependency>
            </dependencies>
        </profile>
    </profiles>
</project>
`;

describe("pom.xml", () => {
  it("reads the parent, dependencies by scope, managed dependencies, plugins and profiles", () => {
    expect(declared("pom.xml", springPom)).toEqual([
      ["org.springframework.boot:spring-boot-starter-parent", "runtime", 8],
      ["org.springframework.boot:spring-boot-starter-web", "runtime", 21],
      ["org.postgresql:postgresql", "runtime", 31],
      ["org.springframework.boot:spring-boot-starter-test", "dev", 36],
      ["org.testcontainers:testcontainers-bom", "runtime", 44],
      ["org.springframework.boot:spring-boot-maven-plugin", "plugin", 55],
      ["org.apache.maven.plugins:maven-surefire-plugin", "plugin", 58],
      ["org.jacoco:jacoco-maven-plugin", "plugin", 65],
      ["org.testcontainers:postgresql", "dev", 77],
    ]);
  });

  it("handles a minimal pom with a single dependency", () => {
    const pom = `<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>a</groupId><artifactId>b</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>
  </dependencies>
</project>`;
    expect(declared("lib/pom.xml", pom)).toEqual([["junit:junit", "dev", 5]]);
  });

  it("returns nothing for a pom without dependencies", () => {
    expect(declared("pom.xml", "<project><modelVersion>4.0.0</modelVersion></project>")).toEqual([]);
  });
});
