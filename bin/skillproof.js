#!/usr/bin/env -S node --max-semi-space-size=4
// A small young generation keeps peak memory down on big trees (the audit makes
// many short-lived strings) at no measurable cost in speed; see `npm run bench`.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
