import {
  S3BucketLifecycleConfigurationRule,
  S3BucketLifecycleConfigurationRuleFilter,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { BucketSubject } from "../../subjects";
import { inputBlocks, isToken } from "../../inputs";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/** True when a lifecycle rule's filter (or deprecated `prefix`) selects every object. */
function selectsEveryObject(rule: S3BucketLifecycleConfigurationRule): boolean {
  if (rule.prefix !== undefined && rule.prefix !== "") return false;
  const filters = inputBlocks<S3BucketLifecycleConfigurationRuleFilter>(rule.filter);
  if (filters === undefined) return false;
  return filters.every(
    (f) =>
      (f.prefix === undefined || f.prefix === "") &&
      f.and === undefined &&
      f.tag === undefined &&
      f.objectSizeGreaterThan === undefined &&
      f.objectSizeLessThan === undefined,
  );
}

/**
 * Compliant: an enabled lifecycle rule for every object aborts incomplete multipart uploads after N days.
 *
 * Unfinished uploads otherwise keep their parts, billed and invisible in listings. A rule
 * limited by a prefix, tag or size filter does not count.
 */
export default namedAfterFile(__filename, (subject: BucketSubject): Outcome => {
  if (subject.lifecycles.length === 0)
    return nonCompliant("no aws_s3_bucket_lifecycle_configuration configures this bucket");
  for (const lifecycle of subject.lifecycles) {
    for (const rule of inputBlocks(lifecycle.ruleInput) ?? []) {
      const abort = inputBlocks(rule.abortIncompleteMultipartUpload) ?? [];
      const days = abort[0]?.daysAfterInitiation;
      if (rule.status === "Enabled" && selectsEveryObject(rule) && days !== undefined && !isToken(days) && days >= 1) {
        return compliant(`rule "${rule.id}" of ${lifecycle.node.path} aborts after ${days} day(s)`);
      }
    }
  }
  return nonCompliant(
    "no enabled lifecycle rule for every object sets abort_incomplete_multipart_upload.days_after_initiation",
  );
});
