#!/usr/bin/env node
// Build step: validate the shipped rules and write dist/rules.bundle.json (see src/engine/ruleBundle.ts).
import { writeRuleBundle } from "../dist/engine/ruleBundle.js";

try {
  const { rules } = writeRuleBundle();
  console.log(`bundled ${rules.length} rules`);
} catch (err) {
  console.error(`skillproof: ${err.message}`);
  process.exit(1);
}
