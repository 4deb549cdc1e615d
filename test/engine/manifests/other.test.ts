import { describe, expect, it } from "vitest";
import { declared } from "./helpers.js";

describe("go.mod", () => {
  it("reads single requires and require blocks, leaving indirect ones out", () => {
    const gomod = `module github.com/acme/orders

go 1.22

toolchain go1.22.2

require github.com/gin-gonic/gin v1.9.1

require (
	github.com/jackc/pgx/v5 v5.5.5
	github.com/redis/go-redis/v9 v9.5.1 // cache
	go.uber.org/zap v1.27.0
	// github.com/commented/out v1.0.0
)

require (
	github.com/bytedance/sonic v1.11.3 // indirect
	golang.org/x/net v0.24.0 // indirect
)

require ( github.com/google/uuid v1.6.0 )

replace github.com/acme/shared => ../shared

exclude github.com/bad/dep v1.0.0
`;
    expect(declared("go.mod", gomod)).toEqual([
      ["github.com/gin-gonic/gin", "runtime", 7],
      ["github.com/jackc/pgx/v5", "runtime", 10],
      ["github.com/redis/go-redis/v9", "runtime", 11],
      ["go.uber.org/zap", "runtime", 12],
      ["github.com/google/uuid", "runtime", 21],
    ]);
  });
});

describe("NuGet", () => {
  it("reads PackageReference from an SDK-style csproj", () => {
    const csproj = `<Project Sdk="Microsoft.NET.Sdk.Web">

  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <Nullable>enable</Nullable>
  </PropertyGroup>

  <ItemGroup>
    <PackageReference Include="Microsoft.EntityFrameworkCore" Version="8.0.4" />
    <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="8.0.2" />
    <PackageReference Include="Swashbuckle.AspNetCore">
      <Version>6.5.0</Version>
    </PackageReference>
  </ItemGroup>

  <ItemGroup Condition="'$(Configuration)' == 'Debug'">
    <PackageReference Update="Serilog.AspNetCore" Version="8.0.1" />
  </ItemGroup>

  <ItemGroup>
    <ProjectReference Include="..\\Orders.Domain\\Orders.Domain.csproj" />
  </ItemGroup>

</Project>
`;
    expect(declared("src/Orders.Api/Orders.Api.csproj", csproj)).toEqual([
      ["Microsoft.EntityFrameworkCore", "runtime", 9],
      ["Npgsql.EntityFrameworkCore.PostgreSQL", "runtime", 10],
      ["Swashbuckle.AspNetCore", "runtime", 11],
      ["Serilog.AspNetCore", "runtime", 17],
    ]);
  });

  it("reads central package versions and packages.config", () => {
    const props = `<Project>
  <PropertyGroup>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="xunit" Version="2.7.0" />
  </ItemGroup>
</Project>`;
    expect(declared("Directory.Packages.props", props)).toEqual([["xunit", "runtime", 6]]);

    const config = `<?xml version="1.0" encoding="utf-8"?>
<packages>
  <package id="Newtonsoft.Json" version="13.0.3" targetFramework="net48" />
  <package id="NUnit" version="3.14.0" targetFramework="net48" />
</packages>`;
    expect(declared("packages.config", config)).toEqual([
      ["Newtonsoft.Json", "runtime", 3],
      ["NUnit", "runtime", 4],
    ]);
  });
});

describe("Gemfile", () => {
  it("marks gems inside development and test groups as dev", () => {
    const gemfile = `source "https://rubygems.org"
git_source(:github) { |repo| "https://github.com/#{repo}.git" }

ruby "3.3.0"

gem "rails", "~> 7.1.3"
gem 'pg', '~> 1.1'
gem "puma", ">= 5.0"
gem "sidekiq" # background jobs
gem "tzinfo-data", platforms: %i[ windows jruby ]

group :development, :test do
  gem "debug", platforms: %i[ mri windows ]
  gem "rspec-rails"
  if ENV["CI"]
    gem "simplecov", require: false
  end
end

group :development do
  gem "web-console"
end

group :production do
  gem "lograge"
end

gem "rubocop", group: :development, require: false
gem "factory_bot", groups: [:development, :test]
`;
    expect(declared("Gemfile", gemfile)).toEqual([
      ["rails", "runtime", 6],
      ["pg", "runtime", 7],
      ["puma", "runtime", 8],
      ["sidekiq", "runtime", 9],
      ["tzinfo-data", "runtime", 10],
      ["debug", "dev", 13],
      ["rspec-rails", "dev", 14],
      ["simplecov", "dev", 16],
      ["web-console", "dev", 21],
      ["lograge", "runtime", 25],
      ["rubocop", "dev", 28],
      ["factory_bot", "dev", 29],
    ]);
  });
});

describe("Cargo.toml", () => {
  it("reads dependencies, dev and build dependencies, target and workspace tables", () => {
    const cargo = `[package]
name = "ledger"
version = "0.1.0"
edition = "2021"
description = "Ledger API on axum, tokio and serde"

[dependencies]
axum = "0.7"
tokio = { version = "1", features = ["full"] }
serde = { version = "1.0", features = ["derive"] }
serde_json = "1.0"
pg = { package = "tokio-postgres", version = "0.7" }

[dependencies.sqlx]
version = "0.7"
features = ["postgres", "runtime-tokio"]

[dev-dependencies]
insta = "1.38"

[build-dependencies]
prost-build = "0.12"

[target.'cfg(unix)'.dependencies]
nix = "0.28"

[target.'cfg(windows)'.dev-dependencies]
windows-sys = "0.52"

[workspace.dependencies]
tracing = "0.1"

[features]
default = ["serde"]
`;
    expect(declared("Cargo.toml", cargo)).toEqual([
      ["axum", "runtime", 8],
      ["tokio", "runtime", 9],
      ["serde", "runtime", 10],
      ["serde_json", "runtime", 11],
      ["tokio-postgres", "runtime", 12],
      ["sqlx", "runtime", 14],
      ["insta", "dev", 19],
      ["prost-build", "dev", 22],
      ["tracing", "runtime", 31],
      ["nix", "runtime", 25],
      ["windows-sys", "dev", 28],
    ]);
  });
});
