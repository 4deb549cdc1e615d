import { describe, expect, it } from "vitest";
import { isManifestPath } from "../../../src/engine/manifests/index.js";
import { declared } from "./helpers.js";

describe("sbt builds", () => {
  it("reads build.sbt modules as group:artifact, %% without the Scala suffix, % Test as dev", () => {
    const sbt = `name := "pets"
val http4sVersion = "0.23.27"
libraryDependencies ++= Seq(
  "org.http4s" %% "http4s-ember-server" % http4sVersion,
  "org.tpolecat" %% "doobie-postgres" % "1.0.0-RC5",
  "org.postgresql" % "postgresql" % "42.7.3",
  "org.scalatest" %% "scalatest" % "3.2.18" % Test,
  "org.scalatestplus.play" %% "scalatestplus-play" % "7.0.1" % "test",
  "com.dimafeng" %% "testcontainers-scala" % "0.41.4" % "it,test",
  // "org.commented" % "out" % "1.0",
  "org.scala-js" %%% "scalajs-dom" % "2.8.0"
)
libraryDependencies += guice
`;
    expect(declared("build.sbt", sbt)).toEqual([
      ["org.http4s:http4s-ember-server", "runtime", 4],
      ["org.tpolecat:doobie-postgres", "runtime", 5],
      ["org.postgresql:postgresql", "runtime", 6],
      ["org.scalatest:scalatest", "dev", 7],
      ["org.scalatestplus.play:scalatestplus-play", "dev", 8],
      ["com.dimafeng:testcontainers-scala", "dev", 9],
      ["org.scala-js:scalajs-dom", "runtime", 11],
    ]);
  });

  it("reads addSbtPlugin in project/plugins.sbt as a plugin, and project/Dependencies.scala as the build's values", () => {
    expect(declared("project/plugins.sbt", `addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.5")\naddSbtPlugin("org.scoverage" % "sbt-scoverage" % "2.2.0")\n`)).toEqual([
      ["org.playframework:sbt-plugin", "plugin", 1],
      ["org.scoverage:sbt-scoverage", "plugin", 2],
    ]);
    expect(declared("project/Dependencies.scala", `object Dependencies {\n  val munit = "org.scalameta" %% "munit" % "1.0.0" % Test\n}\n`)).toEqual([
      ["org.scalameta:munit", "dev", 2],
    ]);
    expect(isManifestPath("src/main/scala/App.scala")).toBe(false);
  });
});
