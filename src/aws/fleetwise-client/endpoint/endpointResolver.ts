// Resolves endpoint parameters to a URL with the SDK's rules engine, remembering recent answers as the
// generated clients do.
import { awsEndpointFunctions } from '@aws-sdk/core/client';
import { customEndpointFunctions, EndpointCache, resolveEndpoint } from '@smithy/core/endpoints';
import type { EndpointParams, EndpointV2, Logger } from '@smithy/types';
import type { EndpointParameters } from './EndpointParameters.js';
import { ruleSet } from './ruleset.js';

/** Distinct parameter combinations remembered; a client rarely sees more than one. */
const ENDPOINT_CACHE_SIZE = 50;

const cache = new EndpointCache({ size: ENDPOINT_CACHE_SIZE, params: ['Endpoint', 'Region', 'UseDualStack', 'UseFIPS'] });

export const defaultEndpointResolver = (
  endpointParams: EndpointParameters,
  context: { logger?: Logger } = {},
): EndpointV2 =>
  cache.get(endpointParams as EndpointParams, () =>
    resolveEndpoint(ruleSet, { endpointParams: endpointParams as EndpointParams, logger: context.logger }),
  );

// `aws.partition` in the rules is an AWS function the engine learns here, as in every generated AWS client.
customEndpointFunctions.aws = awsEndpointFunctions;
