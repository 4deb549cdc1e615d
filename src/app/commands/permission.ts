import type { AppOctokit } from "../github/octokit.js";
import { statusOf } from "../github/octokit.js";

export interface CommenterPermission {
  allowed: boolean;
  /** GitHub's role name (admin, maintain, write, triage, read, a custom role) or "none". */
  role: string;
}

/**
 * May this person run commands in this repository? Asks
 * `GET /repos/{owner}/{repo}/collaborators/{username}/permission` (metadata: read).
 * `permission` folds maintain into "write" and custom roles into their base
 * role; `role_name` keeps the real name, so both are read. An unknown user
 * (404) has no role.
 */
export async function commenterPermission(octokit: AppOctokit, at: { owner: string; repo: string }, username: string): Promise<CommenterPermission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...at, username });
    const permission = data.permission;
    const role = data.role_name || permission;
    const allowed = permission === "admin" || permission === "write" || ["admin", "maintain", "write"].includes(role);
    return { allowed, role };
  } catch (err) {
    if (statusOf(err) === 404) return { allowed: false, role: "none" };
    throw err;
  }
}

/**
 * Can this person read this repository? Any role counts (read, triage, write,
 * maintain, admin); "none" and an unknown user (404) do not. Asked only for a
 * private target, with the installation's token.
 */
export async function readerPermission(octokit: AppOctokit, at: { owner: string; repo: string }, username: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...at, username });
    return data.permission !== "none" && (data.permission as string) !== "";
  } catch (err) {
    if (statusOf(err) === 404 || statusOf(err) === 403) return false;
    throw err;
  }
}
