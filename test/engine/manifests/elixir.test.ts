import { describe, expect, it } from "vitest";
import { isManifestPath } from "../../../src/engine/manifests/index.js";
import { declared } from "./helpers.js";

const mixExs = `defmodule Shop.MixProject do
  use Mix.Project

  def project do
    [app: :shop, deps: deps(), preferred_cli_env: [coveralls: :test], compilers: [:phoenix] ++ Mix.compilers()]
  end

  def application, do: [mod: {Shop.Application, []}, extra_applications: [:logger]]

  defp deps do
    [
      {:phoenix, "~> 1.7.14"},
      {:ecto_sql, "~> 3.10"},
      # {:commented_out, "~> 1.0"},
      {:postgrex, ">= 0.0.0"},
      {:oban, "~> 2.17"}, {:jason, "~> 1.2"},
      {:credo, "~> 1.7", only: [:dev, :test], runtime: false},
      {:ex_machina, "~> 2.7", only: :test},
      {:phoenix_live_reload, "~> 1.2", only: :dev},
      {:bandit,
       "~> 1.5"},
      {:heroicons, github: "tailwindlabs/heroicons", tag: "v2.1.1", sparse: "optimized", app: false, compile: false, depth: 1}
    ]
  end

  defp aliases do
    [setup: ["deps.get", "ecto.setup"], test: ["ecto.create --quiet", "test"]]
  end
end
`;

describe("mix.exs", () => {
  it("reads the deps function's tuples, dev for only: :dev/:test, and nothing outside deps", () => {
    expect(declared("mix.exs", mixExs)).toEqual([
      ["phoenix", "runtime", 12],
      ["ecto_sql", "runtime", 13],
      ["postgrex", "runtime", 15],
      ["oban", "runtime", 16],
      ["jason", "runtime", 16],
      ["credo", "dev", 17],
      ["ex_machina", "dev", 18],
      ["phoenix_live_reload", "dev", 19],
      ["bandit", "runtime", 20],
      ["heroicons", "runtime", 22],
    ]);
  });

  it("reads the keyword form, defp deps, do: [...], on one line or several", () => {
    expect(declared("mix.exs", 'defmodule A do\n  defp deps, do: [{:phoenix, "~> 1.7"}, {:credo, "~> 1.7", only: :dev}]\n  defp aliases, do: [{:x, 1}]\nend\n')).toEqual([
      ["phoenix", "runtime", 2],
      ["credo", "dev", 2],
    ]);
    expect(declared("mix.exs", 'defmodule A do\n  defp deps,\n    do: []\n  def deps, do: [\n    {:plug_cowboy, "~> 2.0"},\n    {:ecto_sql, "~> 3.0"}\n  ]\n  defp aliases, do: [{:x, 1}]\nend\n')).toEqual([
      ["plug_cowboy", "runtime", 5],
      ["ecto_sql", "runtime", 6],
    ]);
  });

  it("reads every app of an umbrella, and not mix.lock (it lists transitive packages)", () => {
    expect(declared("apps/shop_web/mix.exs", "defmodule W do\n  def deps do\n    [{:phoenix, \"~> 1.7\"}]\n  end\nend\n")).toEqual([
      ["phoenix", "runtime", 3],
    ]);
    expect(isManifestPath("mix.exs")).toBe(true);
    expect(isManifestPath("mix.lock")).toBe(false);
  });
});
