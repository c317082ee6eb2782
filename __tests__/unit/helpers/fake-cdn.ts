/**
 * The CDN stage of the fake deployment: CloudFront mocked with aws-sdk-client-mock, answering as
 * a clean deployment of the synthesized JSON would. The live state is plain data
 * (`distributions`, `oacs`, by id): a test perturbs one answer and runs the verifier.
 */
import {
  CloudFrontClient,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  GetOriginAccessControlCommand,
  ListDistributionsCommand,
  ListOriginAccessControlsCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-cloudfront";
import type { DistributionConfig, OriginAccessControlConfig } from "@aws-sdk/client-cloudfront";
import { mockClient } from "aws-sdk-client-mock";
import { distributionArn, parseArn } from "../../../src/common/arn";
import { awsError, distributionConfig } from "./api-shapes";
import { Block } from "./site-fixture";

/** One live distribution, in CloudFront's shape. */
export interface FakeDistribution {
  domainName: string;
  config: DistributionConfig;
  tags: Record<string, string>;
}

/** The made-up id of the live resource a declared CloudFront resource's `name` becomes. */
export function cloudfrontIdOf(name: string): string {
  return `E${name.toUpperCase().replace(/[^A-Z0-9]/g, "")}`.slice(0, 14);
}

/** The live CloudFront resources, as data the mocks answer from. */
export class FakeCdn {
  /** By distribution id. */
  readonly distributions = new Map<string, FakeDistribution>();
  /** By origin access control id. */
  readonly oacs = new Map<string, OriginAccessControlConfig>();
  readonly cloudfront = mockClient(CloudFrontClient);

  /**
   * `account` owns them; `resolved` gives a type's declared blocks with references resolved; `defaultTags` a block's
   * provider default tags (CloudFront tags a distribution with them, as S3 and KMS do).
   */
  constructor(
    private readonly account: string,
    resolved: (type: string) => ReadonlyArray<readonly [string, Block]>,
    defaultTags: (block: Block) => Record<string, string>,
  ) {
    for (const [name, o] of resolved("aws_cloudfront_origin_access_control")) {
      this.oacs.set(cloudfrontIdOf(name), {
        Name: o.name,
        Description: o.description,
        OriginAccessControlOriginType: o.origin_access_control_origin_type,
        SigningBehavior: o.signing_behavior,
        SigningProtocol: o.signing_protocol,
      });
    }
    for (const [name, d] of resolved("aws_cloudfront_distribution")) {
      const id = cloudfrontIdOf(name);
      this.distributions.set(id, {
        domainName: `${id.toLowerCase()}.cloudfront.net`,
        config: distributionConfig(d),
        tags: { ...defaultTags(d) },
      });
    }
    this.answer();
  }

  /** The one distribution of the stack. */
  distribution(): FakeDistribution {
    return [...this.distributions.values()][0];
  }

  /** The one origin access control of the stack. */
  oac(): OriginAccessControlConfig {
    return [...this.oacs.values()][0];
  }

  private answer(): void {
    const cloudfront = this.cloudfront;
    const distribution = (id: string | undefined) => {
      const found = this.distributions.get(String(id));
      if (found === undefined) throw awsError("NoSuchDistribution");
      return found;
    };
    cloudfront.on(ListOriginAccessControlsCommand).callsFake(() => ({
      OriginAccessControlList: {
        IsTruncated: false,
        Items: [...this.oacs].map(([Id, config]) => ({ Id, ...config })),
      },
    }));
    cloudfront.on(GetOriginAccessControlCommand).callsFake((input) => {
      const config = this.oacs.get(String(input.Id));
      if (config === undefined) throw awsError("NoSuchOriginAccessControl");
      return { OriginAccessControl: { Id: input.Id, OriginAccessControlConfig: config } };
    });
    cloudfront.on(ListDistributionsCommand).callsFake(() => ({
      DistributionList: {
        IsTruncated: false,
        Items: [...this.distributions].map(([Id, d]) => ({
          Id,
          ARN: distributionArn("aws", this.account, Id),
          DomainName: d.domainName,
          Origins: d.config.Origins,
        })),
      },
    }));
    cloudfront.on(GetDistributionCommand).callsFake((input) => {
      const d = distribution(input.Id);
      const ARN = distributionArn("aws", this.account, String(input.Id));
      return {
        Distribution: { Id: input.Id, ARN, DomainName: d.domainName, DistributionConfig: d.config },
        ETag: "E1",
      };
    });
    cloudfront
      .on(GetDistributionConfigCommand)
      .callsFake((input) => ({ DistributionConfig: distribution(input.Id).config, ETag: "E1" }));
    cloudfront.on(ListTagsForResourceCommand).callsFake((input) => {
      const id = String(parseArn(String(input.Resource))?.resource).replace(/^distribution\//, "");
      const tags = Object.entries(distribution(id).tags).map(([Key, Value]) => ({ Key, Value }));
      return { Tags: { Items: tags } };
    });
  }
}
