import { GetOriginAccessControlCommand } from "@aws-sdk/client-cloudfront";
import { unlessAbsent } from "../../aws-call";
import { ResourceReader, liveId } from "./reader";

/**
 * `aws_cloudfront_origin_access_control`: name, description, origin type and signing, by the id
 * the deployment's index found for its declared name (see `../../deployment/live-cdn.ts`).
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html
 */
export const cloudfrontOacReader: ResourceReader = {
  type: "aws_cloudfront_origin_access_control",
  async read(ctx, target) {
    const Id = liveId(ctx, target);
    if (Id === undefined) return undefined;
    const found = await unlessAbsent(
      () => ctx.clients.cloudfront().send(new GetOriginAccessControlCommand({ Id })),
      ["NoSuchOriginAccessControl"],
    );
    const config = found?.OriginAccessControl?.OriginAccessControlConfig;
    if (config === undefined) return undefined;
    return {
      name: config.Name,
      description: config.Description ?? "",
      origin_access_control_origin_type: config.OriginAccessControlOriginType,
      signing_behavior: config.SigningBehavior,
      signing_protocol: config.SigningProtocol,
    };
  },
};
