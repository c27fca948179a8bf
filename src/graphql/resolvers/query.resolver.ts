// Root queries: the viewer, accounts by id, the organization and creation requests.
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { MAX_ACCOUNT_IDS } from '../argument-rules.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput, mapAnswer, orFieldError } from '../errors.js';
import { AccountIdScalar, CreateAccountRequestIdScalar } from '../scalars.js';
import { Account } from '../types/account.type.js';
import { CreateAccountRequest } from '../types/create-account-request.type.js';
import { Organization } from '../types/organization.type.js';


@Resolver()
export class QueryResolver {
  @Query(() => Account, { description: 'The account whose credentials the server uses (normally the management account).' })
  async viewer(@Ctx() ctx: GraphQLContext): Promise<Account> {
    const id = await orFieldError(ctx.reader.viewerAccountId());
    // Outside an organization DescribeAccount is refused; the viewer is still an account, known by its id.
    const found = await Promise.resolve(ctx.reader.account(id)).catch(() => undefined);
    return Account.from(found?.value ?? { id });
  }

  @Query(() => Account, { nullable: true, description: 'One account of the organization; null when the id is not in it.' })
  account(
    @Arg('id', () => AccountIdScalar, { description: 'The 12-digit account id.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Account | null | Promise<Account | null> {
    return mapAnswer(ctx.reader.account(id), (found) => (found.value ? Account.from(found.value) : null));
  }

  @Query(() => [Account], {
    nullable: 'items',
    description: `Several accounts, in the order of ids; null where an id is not in the organization. At most ${MAX_ACCOUNT_IDS} ids.`,
  })
  accounts(
    @Arg('ids', () => [AccountIdScalar], { description: 'Account ids, 12 digits each.' }) ids: string[],
    @Ctx() ctx: GraphQLContext,
  ): (Account | null | Promise<Account | null>)[] {
    if (ids.length > MAX_ACCOUNT_IDS) throw badUserInput(`ids may name at most ${MAX_ACCOUNT_IDS} accounts.`, 'ids');
    return ids.map((id) => mapAnswer(ctx.reader.account(id), (found) => (found.value ? Account.from(found.value) : null)));
  }

  @Query(() => Organization, { nullable: true, description: 'The organization; null when the caller is in none.' })
  organization(@Ctx() ctx: GraphQLContext): Organization | null | Promise<Organization | null> {
    return mapAnswer(ctx.reader.organization(), (organization) =>
      organization.value ? Organization.from({ value: organization.value, fetchedAt: organization.fetchedAt }) : null,
    );
  }

  @Query(() => CreateAccountRequest, { nullable: true, description: 'One account-creation request by id; null when AWS has no such request.' })
  async createAccountRequest(
    @Arg('id', () => CreateAccountRequestIdScalar, { description: 'The request id ("car-…").' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateAccountRequest | null> {
    const found = await orFieldError(ctx.loaders.creationRequest.load(id));
    return found.value ? CreateAccountRequest.from({ value: found.value, fetchedAt: found.fetchedAt }) : null;
  }
}
