/** Runs config validation and hands back the ConfigError it must throw. */
import { ConfigError, ConfigProblem } from "../../../src/config/errors";
import { parseSettings } from "../../../src/config/load";

/** The ConfigError `parseSettings` throws for `raw`; fails the test if it accepts the input. */
export function configErrorOf(raw: unknown): ConfigError {
  try {
    parseSettings(raw, "test");
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(raw)}, but the config was accepted`);
}

/** Every problem reported for `raw`. */
export function problemsOf(raw: unknown): readonly ConfigProblem[] {
  return configErrorOf(raw).problems;
}

/** The one problem reported for `raw` (fails listing them all if there are several). */
export function onlyProblemOf(raw: unknown): ConfigProblem {
  const problems = problemsOf(raw);
  if (problems.length !== 1) {
    throw new Error(`expected exactly one problem, got ${problems.length}: ${JSON.stringify(problems, null, 2)}`);
  }
  return problems[0];
}
