export { RoleError } from "./errors.js";
export type { PlanItem, PlanStep, Role, RoleExample, RoleFit, RoleGap, RoleSet, RoleStackItem, StackItemFit } from "./types.js";
export { BUILTIN_ROLES_DIR, checkRole, loadBuiltinRoles, loadRoleFile, loadRolesDir, resolveRole, roleSetOf } from "./load.js";
export { isRoleRule, stackFits, stackRuleId, withStackRules } from "./detect.js";
export { MUST_HAVE_PENALTY, REQUIRED_STACK_PENALTY, portfolioRoleFit, roleFit } from "./fit.js";
export { PLAN_STEPS, rolePlan } from "./plan.js";
export { runRoleExamples, type RoleExampleOutcome } from "./examples.js";
