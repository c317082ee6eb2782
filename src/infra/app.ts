import { App } from "cdktf";
import { Settings } from "../config/schema";
import { SITE_RULES } from "../rules/catalog";
import { RulePack } from "../rules/pack";
import { STACK_NAMES } from "../config/names";
import { SiteStorageStack } from "./stacks/site-storage-stack";
import { StateBootstrapStack } from "./stacks/state-bootstrap-stack";
import { CiRolesStack } from "./stacks/ci-roles-stack";

/**
 * Builds every stack of the app from the settings and applies the site rule pack to each:
 * `site-storage` (what users deploy), `site-state` (the state bucket, deployed once, first,
 * when the state moves to S3) and, when `ci` is configured, `site-ci` (the CI's roles). Each
 * stack configures its own backend. main.ts synthesizes what this builds; `npm run check`
 * reports on the same thing, so the report and the synth can never disagree.
 */
export function buildApp(app: App, settings: Settings): RulePack {
  new SiteStorageStack(app, STACK_NAMES.storage, settings);
  new StateBootstrapStack(app, STACK_NAMES.state, settings);
  if (settings.ci !== undefined) new CiRolesStack(app, STACK_NAMES.ci, settings);
  return RulePack.applyTo(app, SITE_RULES);
}
