// Wiring only: load and validate the settings, build the app, synthesize.
// Bad settings stop here, before any construct exists, so nothing is written.
import { App } from "cdktf";
import { ConfigError } from "./src/config/errors";
import { loadSettings } from "./src/config/load";
import { configureBackend } from "./src/stacks/backend";
import { SiteStorageStack } from "./src/stacks/site-storage-stack";
import { STATE_STACK_NAME, StateBootstrapStack } from "./src/stacks/state-bootstrap-stack";

/** The stack name: `cdktf.out/stacks/site-storage/cdk.tf.json`, `cdktf deploy site-storage`. */
export const STACK_NAME = "site-storage";

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
  const storage = new SiteStorageStack(app, STACK_NAME, settings);
  configureBackend(storage, settings);
  // Deployed once, first, when the state moves to S3: `cdktf deploy site-state`.
  new StateBootstrapStack(app, STATE_STACK_NAME, settings);
  app.synth();
}

main();
