// Wiring only: load and validate the settings, build the app, check it against the rule pack,
// synthesize. Bad settings stop here, before any construct exists, and so does an error finding
// of the rule pack, before any stack is written: nothing is synthesized either way.
import { App } from "cdktf";
import { buildApp } from "./src/infra/app";
import { ConfigError } from "./src/config/errors";
import { loadSettings } from "./src/config/load";
import { synthesizeWithRules } from "./src/rules/enforce";

function main(): void {
  let settings;
  try {
    settings = loadSettings();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = new App();
  process.exitCode = synthesizeWithRules(app, buildApp(app, settings));
}

main();
