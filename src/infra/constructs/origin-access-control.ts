import { Construct } from "constructs";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";

/** Props of {@link OriginAccessControl}. */
export interface OriginAccessControlProps {
  /** Any provider of the account: CloudFront is global. */
  readonly provider: AwsProvider;
  /** The control's name, unique in the account (at most 64 characters). */
  readonly name: string;
  /** What it is for. */
  readonly description: string;
}

/**
 * A CloudFront origin access control for an S3 origin: CloudFront signs every request to the
 * bucket with SigV4 (`always`), so the bucket policy can grant the CloudFront service principal,
 * for one distribution, and refuse everyone else. Creates one
 * `aws_cloudfront_origin_access_control`; nothing here is configurable because nothing else is safe.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 */
export class OriginAccessControl extends Construct {
  readonly control: CloudfrontOriginAccessControl;

  constructor(scope: Construct, id: string, props: OriginAccessControlProps) {
    super(scope, id);
    this.control = new CloudfrontOriginAccessControl(this, "control", {
      provider: props.provider,
      name: props.name,
      description: props.description,
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
  }

  /** Its id, what a distribution's origin names. */
  get id(): string {
    return this.control.id;
  }
}
