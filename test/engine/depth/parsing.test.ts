import { describe, expect, it } from "vitest";
import { workflowTriggers } from "../../../src/engine/depth/ci.js";
import { countPaths } from "../../../src/engine/depth/openapi.js";
import { isConstantAssertion } from "../../../src/engine/depth/testFiles.js";

describe("workflowTriggers", () => {
  it("reads on: as a string, a list or a map, and only the on: block", () => {
    expect(workflowTriggers("on: push\njobs: {}\n")).toEqual({ events: ["push"], pushBranches: ["*"] });
    expect(workflowTriggers("name: ci\non: [push, pull_request]\njobs:\n  a: {}\n")).toEqual({ events: ["push", "pull_request"], pushBranches: ["*"] });
    expect(workflowTriggers('"on":\n  push:\n    branches:\n      - main\n      - "release/**"\n  pull_request:\n\njobs:\n  a: {}\n')).toEqual({
      events: ["push", "pull_request"],
      pushBranches: ["main", "release/**"],
    });
    expect(workflowTriggers("on:\n  push:\n    tags: ['v*']\njobs: {}\n")).toEqual({ events: ["push"], pushBranches: [] });
    expect(workflowTriggers("jobs: {}\n")).toEqual({ events: [], pushBranches: [] });
  });
});

describe("countPaths", () => {
  it("counts the keys under paths: at their own indentation, in YAML and JSON", () => {
    expect(countPaths("openapi: 3.0.0\npaths:\n  # users\n  /users:\n    get:\n      parameters:\n        - in: query\n  \"/users/{id}\":\n    get: {}\ncomponents:\n  schemas: {}\n")).toBe(2);
    expect(countPaths("swagger: '2.0'\npaths: {}\n")).toBe(0);
    expect(countPaths("openapi: 3.0.0\ncomponents: {}\n")).toBe(0);
    expect(countPaths('{"openapi":"3.0.0","paths":{"/a":{},"/b":{},"x-internal":{}}}')).toBe(2);
  });
});

describe("isConstantAssertion", () => {
  it("tells an assertion about constants from one about the code", () => {
    for (const line of ["expect(1 + 2).toBe(3);", "  assert 1 + 1 == 2", "self.assertEqual(2, 1 + 1)", "assertEquals(3, 1 + 2);", 'assert.equal("a", "a")', "expect(true).toBeTruthy()", "assert_eq!(2 + 2, 4);"]) {
      expect(isConstantAssertion(line), line).toBe(true);
    }
    for (const line of ["expect(total([1, 2])).toBe(3);", "assert cart.total() == 3", "assertEquals(3, calculator.add(1, 2));", "assert_eq!(add(2, 2), 4);"]) {
      expect(isConstantAssertion(line), line).toBe(false);
    }
  });
});
