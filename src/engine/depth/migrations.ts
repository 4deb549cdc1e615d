import { plural } from "./leaves.js";
import type { DepthProbe } from "./types.js";

/** Migration files by the conventions of the mainstream tools (one file per version: down scripts are not counted). */
export const MIGRATION_GLOBS = [
  "**/db/{migrate,migrations}/*.rb",
  "**/migrations/[0-9][0-9][0-9][0-9]_*.py",
  "**/{alembic,migrations,migration}/versions/*.py",
  "**/V[0-9]*__*.{sql,java,kt}",
  "**/db/changelog/**/*.{xml,yaml,yml,json,sql}",
  "**/liquibase/**/*.{xml,yaml,yml,json,sql}",
  "**/migrations/*/migration.sql",
  "**/migrations/**/up.sql",
  "**/*.up.sql",
  "**/{migrations,migration,migrate,db/migrations,sql/migrations,supabase/migrations}/**/*.sql",
  "**/drizzle/*.sql",
  "**/Migrations/*.cs",
  "**/database/migrations/*.php",
  "**/migrations/Version[0-9]*.php",
  "**/config/Migrations/*.php",
  "**/db/migrations/*.php",
  "**/{migrations,migration,src/migrations,src/migration,database/migrations}/**/*.{js,ts,mjs,cjs}",
  "**/piccolo_migrations/*.py",
];
const NOT_MIGRATIONS = [
  "**/{docs,doc,documentation,node_modules}/**",
  "**/__init__.py",
  "**/*.{test,spec}.{js,ts}",
  "**/*.d.ts",
  "**/*.Designer.cs",
  "**/*ModelSnapshot.cs",
  "**/*.down.sql",
  "**/down.sql",
];

/** data/migrations: how many migrations; a declared tool with no migration at all is token evidence. */
export const migrationsProbe: DepthProbe = {
  measure({ result, facts }) {
    const files = facts.index.match(MIGRATION_GLOBS, NOT_MIGRATIONS);
    const tool = result.evidence.find((e) => e.snippet && !files.includes(e.path))?.snippet;
    const base = {
      facts: { migrations: files.length, ...(tool ? { tool } : {}) },
      summary: `${plural(files.length, "migration")}${tool ? ` (${tool})` : ""}`,
    };
    if (files.length > 0) return { ...base, depth: "full" };
    return {
      ...base,
      summary: `no migration files${tool ? `; ${tool} is declared` : ""}`,
      depth: "token",
      depthReason: `a migration tool is set up${tool ? ` (${tool})` : ""}, but no migration file was found`,
    };
  },
};
