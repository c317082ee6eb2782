import { DistributionSubject } from "../../cloudfront-subjects";
import { SET_BY_EXPRESSION, inputBlock, isToken } from "../../inputs";
import { Outcome, compliant, nonCompliant, notApplicable } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * True for a viewer security policy of TLS 1.2 with the 2021 ciphers or newer (`TLSv1.2_2021`,
 * `TLSv1.2_2025`, `TLSv1.3_2025`, …). `TLSv1.2_2018` and `_2019` still accept CBC ciphers.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html
 */
function isModernPolicy(version: string): boolean {
  const match = /^TLSv1\.([23])_(\d{4})$/.exec(version);
  if (match === null) return false;
  return match[1] === "3" || Number(match[2]) >= 2021;
}

/**
 * Compliant: with a certificate of its own (ACM or IAM), the distribution accepts viewers with
 * `minimum_protocol_version` `TLSv1.2_2021` or newer, and with `ssl_support_method` `sni-only`.
 *
 * Not applicable with CloudFront's default `*.cloudfront.net` certificate, whose security policy
 * CloudFront sets and cannot be changed. A dedicated-IP (`vip`) certificate serves clients without
 * SNI, which are the ones too old for TLS 1.2, and costs a monthly fee (AWS Security Hub
 * CloudFront.7, CloudFront.8).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-https-dedicated-ip-or-sni.html
 */
export default namedAfterFile(__filename, (subject: DistributionSubject): Outcome => {
  const certificate = inputBlock(subject.distribution.viewerCertificateInput);
  const own = certificate?.acmCertificateArn ?? certificate?.iamCertificateId;
  if (certificate === undefined || own === undefined || own === "") {
    return notApplicable("CloudFront's default certificate: its security policy is CloudFront's");
  }
  const problems: string[] = [];
  const version = certificate.minimumProtocolVersion;
  if (version === undefined) problems.push("minimum_protocol_version is not set (CloudFront defaults to TLSv1)");
  else if (isToken(version)) problems.push(`minimum_protocol_version ${SET_BY_EXPRESSION}`);
  else if (!isModernPolicy(version)) problems.push(`minimum_protocol_version is "${version}"`);
  const method = certificate.sslSupportMethod;
  if (method === undefined) problems.push("ssl_support_method is not set");
  else if (isToken(method)) problems.push(`ssl_support_method ${SET_BY_EXPRESSION}`);
  else if (method !== "sni-only") problems.push(`ssl_support_method is "${method}"`);
  if (problems.length > 0) return nonCompliant(problems.join("; "));
  return compliant(`minimum_protocol_version "${version}", sni-only`);
});
