/**
 * The CDN stage of a deployment found without a state (see `live-index.ts`):
 * - `aws_cloudfront_origin_access_control`: the one whose name is the declared name
 *   (ListOriginAccessControls; names are unique in an account).
 * - `aws_cloudfront_distribution`: the one with an origin whose domain is the declared origin's
 *   domain (the primary bucket's regional domain name). Its ARN is built from the partition,
 *   account and id, never taken from the emulator (which returns a malformed one, EMULATOR.md).
 * - `aws_acm_certificate` (a custom domain's, in us-east-1) and the `aws_acm_certificate_validation`
 *   of it: the certificate whose domain and alternative names are the declared ones, an issued one
 *   first (a replacement is created before the old one is released). The distribution's
 *   certificate argument names the validation's `certificate_arn`.
 * The hosted zone of every CloudFront distribution is fixed per partition (Route 53 alias target).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-route53-recordset-aliastarget.html
 */
import { DistributionSummary } from "@aws-sdk/client-cloudfront";
import { CertificateSummary, DescribeCertificateCommand, ListCertificatesCommand } from "@aws-sdk/client-acm";
import { distributionArn } from "../../common/arn";
import { CLOUDFRONT_CERTIFICATE_REGION } from "../../config/cdn-schema";
import { AwsClients } from "../aws-clients";
import { listDistributions, listOriginAccessControls } from "../cloudfront-lists";
import { StateIndex, StateResource, resolveTemplate, stateResource } from "../terraform/references";
import { Declared, jsonBlocks } from "../terraform/synthesized";
import type { EmulatorDifference } from "../emulator/differences";
import { servingDistribution } from "./serving-distribution";

/** The hosted zone id of CloudFront alias targets, per partition (aws-cn has its own). */
const CLOUDFRONT_HOSTED_ZONES: Readonly<Record<string, string>> = { aws: "Z2FDTNDATAQYW2", "aws-cn": "Z3RFFRIM2A3IF5" };

/** The live CDN resources `declared` names, resolved against `index` (buckets, data sources). */
export async function cdnResources(
  declared: Declared,
  index: StateIndex,
  clients: AwsClients,
  partition: string,
  account: string,
  differences: readonly EmulatorDifference[],
): Promise<StateResource[]> {
  const oacsDeclared = Object.entries(declared.aws_cloudfront_origin_access_control ?? {});
  const distributionsDeclared = Object.entries(declared.aws_cloudfront_distribution ?? {});
  if (oacsDeclared.length === 0 && distributionsDeclared.length === 0) return [];
  const found: StateResource[] = await certificateResources(declared, index, clients);
  const oacs = oacsDeclared.length === 0 ? [] : await listOriginAccessControls(clients);
  for (const [name, config] of oacsDeclared) {
    const wanted = String(resolveTemplate(String(config.name), index, `aws_cloudfront_origin_access_control.${name}`));
    const oac = oacs.find((o) => o.Name === wanted);
    const id = oac?.Id ?? `(missing: no origin access control named ${wanted})`;
    found.push(stateResource("managed", "aws_cloudfront_origin_access_control", name, { id, name: wanted, etag: "" }));
  }
  const distributions = distributionsDeclared.length === 0 ? [] : await listDistributions(clients);
  for (const [name, config] of distributionsDeclared) {
    const where = `aws_cloudfront_distribution.${name}.origin`;
    const domains = jsonBlocks(config.origin).map((o) => String(resolveTemplate(String(o.domain_name), index, where)));
    const live = await servingDistribution(distributions, (d) => domains.includes(d), clients, differences);
    found.push(
      stateResource(
        "managed",
        "aws_cloudfront_distribution",
        name,
        distributionValues(live, domains, partition, account),
      ),
    );
  }
  return found;
}

function distributionValues(
  live: DistributionSummary | undefined,
  domains: readonly string[],
  partition: string,
  account: string,
): Record<string, unknown> {
  const hosted_zone_id = CLOUDFRONT_HOSTED_ZONES[partition] ?? CLOUDFRONT_HOSTED_ZONES.aws;
  if (live?.Id === undefined) {
    const missing = `(missing: no distribution with an origin ${domains.join(" or ")})`;
    return { id: missing, arn: missing, domain_name: missing, hosted_zone_id };
  }
  return {
    id: live.Id,
    arn: distributionArn(partition, account, live.Id),
    domain_name: live.DomainName,
    hosted_zone_id,
  };
}

/** The declared names of a certificate: its domain, then its alternative names, sorted and once each. */
function namesOf(domain: string, alternatives: readonly string[]): string {
  return [domain, ...[...new Set([domain, ...alternatives])].filter((n) => n !== domain).sort()].join(",");
}

/** Every certificate of CloudFront's region whose domain is `domain` (ListCertificates pages by NextToken). */
async function certificatesFor(clients: AwsClients, domain: string): Promise<CertificateSummary[]> {
  const acm = clients.acm(CLOUDFRONT_CERTIFICATE_REGION);
  const all: CertificateSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await acm.send(new ListCertificatesCommand({ NextToken }));
    all.push(...(page.CertificateSummaryList ?? []));
    NextToken = page.NextToken;
  } while (NextToken !== undefined && NextToken !== "");
  return all.filter((c) => c.DomainName === domain);
}

/**
 * The custom domain's certificate and its validation, found by the declared names: the summary
 * list may leave alternative names out, so each candidate is described.
 * https://docs.aws.amazon.com/acm/latest/APIReference/API_CertificateSummary.html
 */
async function certificateResources(
  declared: Declared,
  index: StateIndex,
  clients: AwsClients,
): Promise<StateResource[]> {
  const found: StateResource[] = [];
  for (const [name, config] of Object.entries(declared.aws_acm_certificate ?? {})) {
    const where = `aws_acm_certificate.${name}`;
    const domain = String(resolveTemplate(String(config.domain_name), index, where));
    const alternatives = Array.isArray(config.subject_alternative_names)
      ? config.subject_alternative_names.map((n) => String(resolveTemplate(String(n), index, where)))
      : [];
    const candidates = await Promise.all(
      (await certificatesFor(clients, domain)).map(async (summary) => {
        const described = await clients
          .acm(CLOUDFRONT_CERTIFICATE_REGION)
          .send(new DescribeCertificateCommand({ CertificateArn: summary.CertificateArn }));
        return described.Certificate;
      }),
    );
    const matching = candidates.filter(
      (c) => c !== undefined && namesOf(domain, c.SubjectAlternativeNames ?? []) === namesOf(domain, alternatives),
    );
    const live = matching.find((c) => c?.Status === "ISSUED") ?? matching[0];
    const arn = live?.CertificateArn ?? `(missing: no certificate for ${namesOf(domain, alternatives)})`;
    found.push(stateResource("managed", "aws_acm_certificate", name, { arn, id: arn, domain_name: domain }));
    for (const [validation, v] of Object.entries(declared.aws_acm_certificate_validation ?? {})) {
      if (String(v.certificate_arn).startsWith(`\${aws_acm_certificate.${name}.`))
        found.push(
          stateResource("managed", "aws_acm_certificate_validation", validation, { certificate_arn: arn, id: arn }),
        );
    }
  }
  return found;
}
