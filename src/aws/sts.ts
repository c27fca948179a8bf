// STS calls made with the server's own credentials. (AssumeRole into member accounts lives in credentials.ts.)
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsContext } from './context.js';
import { required } from './response.js';
import type { CallerIdentity } from './types.js';

const SERVICE = 'sts';

export async function getCallerIdentity(ctx: AwsContext): Promise<CallerIdentity> {
  const target = { service: SERVICE, operation: 'GetCallerIdentity', region: ctx.region };
  const output = await ctx.callAws(target, () => ctx.clients.sts().send(new GetCallerIdentityCommand({})));
  return {
    accountId: required(output.Account, 'Account', target),
    arn: required(output.Arn, 'Arn', target),
    userId: required(output.UserId, 'UserId', target),
  };
}
