import { App } from "cdktf";
import { Settings } from "../config/schema";
import { SiteRulePack } from "../rules/pack";
import { configureBackend } from "./stacks/backend";
import { STACK_NAMES } from "../config/names";
import { SiteStorageStack } from "./stacks/site-storage-stack";
import { StateBootstrapStack } from "./stacks/state-bootstrap-stack";

/**
 * Builds every stack of the app from the settings and applies the site rule pack to each:
 * `site-storage` (what users deploy) and `site-state` (the state bucket, deployed once, first,
 * when the state moves to S3). main.ts synthesizes what this builds; `npm run check` checks the
 * same thing, so the report and the synth can never disagree.
 */
export function buildApp(app: App, settings: Settings): SiteRulePack {
  const storage = new SiteStorageStack(app, STACK_NAMES.storage, settings);
  configureBackend(storage, settings);
  new StateBootstrapStack(app, STACK_NAMES.state, settings);
  return SiteRulePack.applyTo(app);
}
