import { describe, expect, it } from "vitest";
import { declared } from "./helpers.js";

const packageJson = `{
  "name": "orders-api",
  "version": "1.0.0",
  "scripts": {
    "start": "node dist/server.js",
    "test": "jest"
  },
  "dependencies": {
    "express": "^4.19.2",
    "pg": "^8.11.3",
    "@prisma/client": "5.10.0"
  },
  "optionalDependencies": {
    "pg-native": "^3.0.1"
  },
  "peerDependencies": {
    "react": ">=18"
  },
  "devDependencies": {
    "@types/express": "^4.17.21",
    "jest": "^29.7.0",
    "react": "^18.2.0",
    "typescript": "^5.4.0"
  }
}
`;

describe("package.json", () => {
  it("reads runtime, optional, peer and dev dependencies with their lines", () => {
    expect(declared("services/orders/package.json", packageJson)).toEqual([
      ["express", "runtime", 9],
      ["pg", "runtime", 10],
      ["@prisma/client", "runtime", 11],
      ["pg-native", "runtime", 14],
      ["react", "runtime", 17],
      ["@types/express", "dev", 20],
      ["jest", "dev", 21],
      ["react", "dev", 22],
      ["typescript", "dev", 23],
    ]);
  });

  it("handles a package.json without dependencies", () => {
    expect(declared("package.json", '{ "name": "x", "private": true }')).toEqual([]);
  });
});

const composerJson = `{
    "name": "acme/shop",
    "type": "project",
    "require": {
        "php": "^8.2",
        "ext-json": "*",
        "ext-pdo": "*",
        "laravel/framework": "^11.0",
        "guzzlehttp/guzzle": "^7.8"
    },
    "require-dev": {
        "phpunit/phpunit": "^11.0",
        "laravel/pint": "^1.13"
    }
}
`;

describe("composer.json", () => {
  it("skips platform requirements and marks require-dev as dev", () => {
    expect(declared("composer.json", composerJson)).toEqual([
      ["laravel/framework", "runtime", 8],
      ["guzzlehttp/guzzle", "runtime", 9],
      ["phpunit/phpunit", "dev", 12],
      ["laravel/pint", "dev", 13],
    ]);
  });
});
