/** How many repositories a portfolio audit reads: kept apart so the CLI can show them without loading the GitHub client. */
export const DEFAULT_MAX_REPOS = 6;
export const MAX_REPOS = 20;
