/**
 * Who the credentials are: the account everything is looked up in, the caller's ARN and its
 * partition (STS GetCallerIdentity). Verify and publish both start here.
 */
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { parseArn } from "../common/arn";
import { AwsCallSite, AwsClients } from "./aws-clients";
import { CannotRunError, cannotRunOf } from "./aws-errors";

/** The caller STS reports. */
export interface Caller {
  readonly account: string;
  readonly arn: string;
  readonly partition: string;
}

/**
 * Asks STS in `region` who the credentials are. Throws CannotRunError when STS cannot answer
 * (see `cannotRunOf`; `call` names the call for an error that does not) or answers without an
 * account, which AWS never does.
 */
export async function callerIdentity(clients: AwsClients, region: string, call?: AwsCallSite): Promise<Caller> {
  let identity;
  try {
    identity = await clients.sts(region).send(new GetCallerIdentityCommand({}));
  } catch (error) {
    throw cannotRunOf(error, call) ?? error;
  }
  if (identity.Account === undefined || identity.Account === "")
    throw new CannotRunError(
      "not-aws",
      "the endpoint is not AWS: STS GetCallerIdentity answered without an account. Check AWS_ENDPOINT_URL",
    );
  const arn = identity.Arn ?? "";
  return { account: identity.Account, arn, partition: parseArn(arn)?.partition ?? "aws" };
}
