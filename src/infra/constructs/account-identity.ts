import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";

/** Props of {@link AccountIdentity}. */
export interface AccountIdentityProps {
  /** Provider whose credentials identify the account (any region of the account will do). */
  readonly provider: AwsProvider;
}

/**
 * The account id, partition and DNS suffix, read from AWS at plan time (STS GetCallerIdentity),
 * never typed by a person. Every name and ARN of the stack is built from these tokens.
 */
export class AccountIdentity extends Construct {
  /** The 12-digit account id (a token). */
  readonly accountId: string;
  /** "aws", "aws-cn" or "aws-us-gov" (a token). */
  readonly partition: string;
  /** "amazonaws.com" or "amazonaws.com.cn" (a token), for service endpoints in conditions. */
  readonly dnsSuffix: string;

  constructor(scope: Construct, id: string, props: AccountIdentityProps) {
    super(scope, id);
    const caller = new DataAwsCallerIdentity(this, "caller", { provider: props.provider });
    const partition = new DataAwsPartition(this, "partition", { provider: props.provider });
    this.accountId = caller.accountId;
    this.partition = partition.partition;
    this.dnsSuffix = partition.dnsSuffix;
  }
}
