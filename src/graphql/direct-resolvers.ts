// Calls the resolver methods of the query side straight from graphql-js, without type-graphql's per-call wrapper.
// That wrapper looks the resolver instance up, sorts the parameter list, runs every @Arg through the validation
// function (an async call, so a promise and a Promise.all per field even for a plain string) and goes through the
// middleware dispatcher — for every field of every account of a page. For a method whose parameters are only
// @Root, @Ctx, @Info and @Arg of an enum or a string or number scalar (lists of them too), and which has no
// middlewares or roles (statusgraph declares none), that work changes nothing: validateInput returns at once for a
// value that is not an object, and type-graphql's argument conversion returns such values as they are. Such methods are called directly
// with the same parameters; everything else (mutations, whose inputs are validated; subscriptions) keeps
// type-graphql's resolver.
import {
  getNamedType,
  isEnumType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLScalarType,
  type GraphQLSchema,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/** A resolver class: type-graphql constructs them without arguments. */
export type ResolverClass = new () => Record<string, unknown>;
type ParamMetadata = NonNullable<ReturnType<typeof getMetadataStorage>['queries'][number]['params']>[number];
/** A class a root value may be an instance of. */
type RootClass = abstract new (...args: never[]) => unknown;
type ParamValue = (root: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;

/**
 * Replaces type-graphql's resolver of every eligible query and field-resolver method of `resolverClasses` with a
 * direct call, and returns the fields it replaced (`Type.field`). `stringScalars` are the custom scalars whose values
 * are strings (graphql's own scalars and enums always qualify).
 */
export function callResolversDirectly(
  schema: GraphQLSchema,
  resolverClasses: readonly ResolverClass[],
  stringScalars: readonly GraphQLScalarType[],
): string[] {
  const plainValue = (type: GraphQLNamedType) => isEnumType(type) || isSpecifiedScalarType(type) || stringScalars.some((scalar) => scalar.name === type.name);
  const storage = getMetadataStorage();
  const typeNames = new Map(storage.objectTypes.map((type) => [type.target, type.name]));
  const queryType = schema.getQueryType()!.name;
  const methods = [
    ...storage.queries.map((query) => ({ metadata: query, typeName: queryType })),
    ...storage.fieldResolvers
      .filter((resolver) => resolver.kind === 'external' && resolver.getObjectType)
      .map((resolver) => ({ metadata: resolver, typeName: typeNames.get(resolver.getObjectType!()) })),
  ];
  // type-graphql's default container makes one instance of each resolver class; so does this.
  const instances = new Map<ResolverClass, Record<string, unknown>>();
  const replaced: string[] = [];
  for (const { metadata, typeName } of methods) {
    const target = metadata.target as ResolverClass;
    if (!resolverClasses.includes(target) || typeName === undefined) continue;
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[metadata.schemaName] : undefined;
    if (!field?.resolve || metadata.middlewares?.length || metadata.roles?.length) continue;
    const params = [...(metadata.params ?? [])].sort((a, b) => a.index - b.index);
    const values = params.map((param) => paramValue(param, field, plainValue));
    if (values.some((value) => value === undefined)) continue;
    let instance = instances.get(target);
    if (!instance) instances.set(target, (instance = new target()));
    field.resolve = directResolver(instance, metadata.methodName, values as ParamValue[], rootClassOf(params), field.resolve);
    replaced.push(`${typeName}.${metadata.schemaName}`);
  }
  return replaced;
}

function directResolver(
  instance: Record<string, unknown>,
  methodName: string,
  values: readonly ParamValue[],
  rootClass: RootClass | undefined,
  typeGraphQLResolver: GraphQLFieldResolver<unknown, unknown>,
): GraphQLFieldResolver<unknown, unknown> {
  const method = instance[methodName] as (...params: unknown[]) => unknown;
  return (root, args, context, info) => {
    // type-graphql would turn a plain object into an instance of the @Root() class; none of ours arrives plain, but
    // should one, type-graphql does it.
    if (rootClass && root != null && !(root instanceof rootClass)) return typeGraphQLResolver(root, args, context, info);
    const parameters = new Array<unknown>(values.length);
    for (let index = 0; index < values.length; index++) parameters[index] = values[index]!(root, args, context, info);
    return method.apply(instance, parameters);
  };
}

/** How a parameter gets its value; undefined when type-graphql would do more than read it. */
function paramValue(
  param: ParamMetadata,
  field: GraphQLField<unknown, unknown>,
  plainValue: (type: GraphQLNamedType) => boolean,
): ParamValue | undefined {
  switch (param.kind) {
    case 'root':
      // @Root('property') would convert the property's value too.
      return param.propertyName === undefined ? (root) => root : undefined;
    case 'context': {
      const property = param.propertyName;
      return property === undefined ? (_root, _args, context) => context : (_root, _args, context) => (context as Record<string, unknown>)[property];
    }
    case 'info':
      return (_root, _args, _context, info) => info;
    case 'arg': {
      const argument = field.args.find((candidate) => candidate.name === param.name);
      const named = argument && getNamedType(argument.type);
      if (!named || !plainValue(named) || param.validateFn) return undefined;
      const name = param.name;
      return (_root, args) => args[name];
    }
    default:
      return undefined;
  }
}

/** The class of the @Root() parameter, when it is a class type-graphql would convert the root into. */
function rootClassOf(params: readonly ParamMetadata[]): RootClass | undefined {
  const root = params.find((param) => param.kind === 'root');
  if (root?.kind !== 'root' || !root.getType) return undefined;
  const type: unknown = root.getType();
  return typeof type === 'function' && type !== Object ? (type as RootClass) : undefined;
}
