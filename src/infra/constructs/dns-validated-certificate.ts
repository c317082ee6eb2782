import { Construct } from "constructs";
import { TerraformIterator, Token } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { CLOUDFRONT_CERTIFICATE_REGION } from "../../config/cdn-schema";
import { PropError, literalRegion, regionsDiffer } from "./prop-error";

/** Props of {@link DnsValidatedCertificate}. */
export interface DnsValidatedCertificateProps {
  /**
   * A provider of us-east-1, whatever the site's regions: CloudFront takes ACM certificates from
   * that region only (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html).
   * Any other literal region throws.
   */
  readonly provider: AwsProvider;
  /** A provider for Route 53 (global): the validation records are written through it. */
  readonly dnsProvider: AwsProvider;
  /** The names, the first as the certificate's subject, the rest as alternative names. */
  readonly domainNames: readonly string[];
  /**
   * The existing hosted zone of every name. It is never created here: validation would wait on a
   * delegation to the zone that this stack cannot make.
   */
  readonly hostedZoneId: string;
}

/**
 * An ACM certificate for a custom domain, validated through DNS in an existing Route 53 zone.
 * Creates an `aws_acm_certificate` (DNS validation), one `aws_route53_record` per validation
 * record ACM asks for, and an `aws_acm_certificate_validation` that waits until ACM issues the
 * certificate: what uses {@link arn} waits for an issued certificate, never a pending one.
 * https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
 */
export class DnsValidatedCertificate extends Construct {
  readonly certificate: AcmCertificate;
  readonly validationRecords: Route53Record;
  readonly validation: AcmCertificateValidation;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const region = literalRegion(props.provider);
    if (regionsDiffer(region, CLOUDFRONT_CERTIFICATE_REGION)) {
      throw new PropError(
        this,
        "provider",
        region,
        `must be a provider of ${CLOUDFRONT_CERTIFICATE_REGION}: CloudFront uses ACM certificates from that region only`,
      );
    }
    const [subject, ...alternatives] = props.domainNames;
    this.certificate = new AcmCertificate(this, "certificate", {
      provider: props.provider,
      domainName: subject,
      subjectAlternativeNames: alternatives.length > 0 ? alternatives : undefined,
      validationMethod: "DNS",
      // A replacement (new names) is issued before the old one is released by the distribution.
      lifecycle: { createBeforeDestroy: true },
    });
    // One record per name ACM validates, keyed by the name: the provider knows each option's
    // domain_name at plan time, its record only after the request. The set is iterated as a set,
    // as the provider's documented pattern does: `tolist()` of a set whose elements are partly
    // unknown is wholly unknown (a set's order depends on its values), so a map built from it
    // (TerraformIterator.fromComplexList) has keys Terraform cannot plan ("Invalid for_each
    // argument", measured on Terraform 1.11.4).
    // https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/acm_certificate_validation
    const options = TerraformIterator.fromMap(
      Token.asAnyMap(`\${{ for dvo in ${this.certificate.fqn}.domain_validation_options : dvo.domain_name => dvo }}`),
    );
    this.validationRecords = new Route53Record(this, "validation-record", {
      provider: props.dnsProvider,
      forEach: options,
      zoneId: props.hostedZoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 300,
      // A name and its wildcard share one validation record.
      allowOverwrite: true,
    });
    this.validation = new AcmCertificateValidation(this, "validation", {
      provider: props.provider,
      certificateArn: this.certificate.arn,
      validationRecordFqdns: Token.asList(
        TerraformIterator.fromResources(this.validationRecords).pluckProperty("fqdn"),
      ),
    });
  }

  /** The certificate's ARN, once issued. */
  get arn(): string {
    return this.validation.certificateArn;
  }
}
