import { Settings } from "./schema";

/**
 * The tags every resource of a stack carries, as its providers' default tags: the project, the
 * tool that manages it, and the user's `tags` (which may override neither of the first two
 * unless they set them on purpose). `extra` adds what one stack says about itself.
 */
export function defaultTags(settings: Settings, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { Project: settings.project, ManagedBy: "cdktf", ...extra, ...settings.tags };
}
