// Links a creation request to the account it created.
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { orFieldError } from '../errors.js';
import { Account } from '../types/account.type.js';
import { CreateAccountRequest } from '../types/create-account-request.type.js';

@Resolver(() => CreateAccountRequest)
export class CreateAccountRequestResolver {
  @FieldResolver(() => Account, { nullable: true, description: 'The account this request created, once it SUCCEEDED and joined the organization.' })
  async account(@Root() request: CreateAccountRequest, @Ctx() ctx: GraphQLContext): Promise<Account | null> {
    if (!request.accountId) return null;
    const found = await orFieldError(ctx.loaders.account.load(request.accountId));
    return found.value ? Account.from(found.value) : null;
  }
}
