/**
 * Roles as data (roles/<id>.yml, checked against schemas/role.schema.json):
 * the skills a role weighs, the stack it looks for and the rules it cannot do
 * without. These names are the contract with the CLI and the renderers.
 */
import type { Matcher } from "../engine/types.js";

/** One thing of the role's stack ("Spring Boot", "PostgreSQL"), found by a matcher in the rules' language. */
export interface RoleStackItem {
  name: string;
  level: "required" | "preferred";
  match: Matcher;
  /** What to do when it is missing; by default a sentence naming the item. */
  fix?: string;
}

/** A small tree and the stack items a role must find there (`present`) and must not (`absent`). */
export interface RoleExample {
  description?: string;
  files: Record<string, string>;
  present: string[];
  absent?: string[];
}

export interface Role {
  id: string;
  title: string;
  summary: string;
  /** Skill id → weight for this role. */
  skills: Record<string, number>;
  stack: RoleStackItem[];
  /** Rule ids the role cannot do without. */
  mustHave: string[];
  /** Where the role came from: roles/<id>.yml, a file given on the command line, or the config. */
  file?: string;
  examples: RoleExample[];
}

export interface RoleSet {
  roles: Role[];
  byId: Map<string, Role>;
}

export interface StackItemFit {
  name: string;
  required: boolean;
  present: boolean;
  evidence: { path: string; line?: number; repo?: string } | null;
}

/** A failed rule whose pass would raise the fit by `gain` points. */
export interface RoleGap {
  ruleId: string;
  title: string;
  gain: number;
  fix: string;
  fixFor?: string;
}

export interface RoleFit {
  id: string;
  title: string;
  summary: string;
  /** 0..100, integer: docs/roles.md gives the formula. */
  fit: number;
  stack: StackItemFit[];
  /** At most three, largest gain first. */
  gaps: RoleGap[];
}

export interface PlanItem {
  ruleId?: string;
  stackItem?: string;
  title: string;
  fix: string;
}

export interface PlanStep {
  step: number;
  weeks: string;
  name: string;
  items: PlanItem[];
}
