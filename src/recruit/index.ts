/**
 * Recruiter audits: one repository or a user's portfolio, read from GitHub,
 * with attribution and liveness. Shared by the app's comment command and the
 * CLI; never imports Probot.
 */
export { RecruitError, type RecruitErrorKind } from "./errors.js";
export { auditRepository } from "./repo.js";
export { auditPortfolio, DEFAULT_MAX_REPOS, MAX_REPOS } from "./portfolio.js";
export { LOW_SHARE } from "./attribution.js";
export { BORROWED_CREDIT, OWN_CREDIT } from "./aggregate.js";
export { renderPortfolio, renderRepoAudit, type RecruitFormat, type RenderOptions } from "./render.js";
export type { Attribution, AuditPortfolioOptions, AuditRepositoryOptions, CiState, PortfolioAudit, PortfolioSkill, RecruitOctokit, RepoAudit, RepoTarget } from "./types.js";
