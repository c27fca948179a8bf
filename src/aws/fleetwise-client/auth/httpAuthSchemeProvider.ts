// How IoT FleetWise requests are authenticated: SigV4 with signing name `iotfleetwise` in the client's region,
// for every operation.
import {
  resolveAwsSdkSigV4Config,
  type AwsSdkSigV4AuthInputConfig,
  type AwsSdkSigV4AuthResolvedConfig,
  type AwsSdkSigV4PreviouslyResolved,
} from '@aws-sdk/core/httpAuthSchemes';
import { getSmithyContext, normalizeProvider } from '@smithy/core/client';
import type {
  HandlerExecutionContext,
  HttpAuthOption,
  HttpAuthScheme,
  HttpAuthSchemeParameters,
  HttpAuthSchemeParametersProvider,
  HttpAuthSchemeProvider,
  Provider,
} from '@smithy/types';
import { SIGNING_NAME } from '../endpoint/EndpointParameters.js';
import type { IoTFleetWiseClientResolvedConfig } from '../IoTFleetWiseClient.js';

/** The Smithy id of AWS Signature Version 4. */
export const SIGV4_SCHEME_ID = 'aws.auth#sigv4';

export interface IoTFleetWiseHttpAuthSchemeParameters extends HttpAuthSchemeParameters {
  region?: string;
}

export type IoTFleetWiseHttpAuthSchemeParametersProvider = HttpAuthSchemeParametersProvider<
  IoTFleetWiseClientResolvedConfig,
  HandlerExecutionContext,
  IoTFleetWiseHttpAuthSchemeParameters,
  object
>;

export const defaultIoTFleetWiseHttpAuthSchemeParametersProvider: IoTFleetWiseHttpAuthSchemeParametersProvider = async (
  config,
  context,
) => {
  const region = await normalizeProvider(config.region)();
  if (!region) throw new Error('expected `region` to be configured for `aws.auth#sigv4`');
  return { operation: getSmithyContext(context).operation as string, region };
};

export type IoTFleetWiseHttpAuthSchemeProvider = HttpAuthSchemeProvider<IoTFleetWiseHttpAuthSchemeParameters>;

export const defaultIoTFleetWiseHttpAuthSchemeProvider: IoTFleetWiseHttpAuthSchemeProvider = (authParameters) => [
  sigV4AuthOption(authParameters),
];

export interface HttpAuthSchemeInputConfig extends AwsSdkSigV4AuthInputConfig {
  authSchemePreference?: string[] | Provider<string[]>;
  httpAuthSchemes?: HttpAuthScheme[];
  httpAuthSchemeProvider?: IoTFleetWiseHttpAuthSchemeProvider;
}

export interface HttpAuthSchemeResolvedConfig extends AwsSdkSigV4AuthResolvedConfig {
  readonly authSchemePreference: Provider<string[]>;
  readonly httpAuthSchemes: HttpAuthScheme[];
  readonly httpAuthSchemeProvider: IoTFleetWiseHttpAuthSchemeProvider;
}

export const resolveHttpAuthSchemeConfig = <T>(
  config: T & HttpAuthSchemeInputConfig & AwsSdkSigV4PreviouslyResolved,
): T & HttpAuthSchemeResolvedConfig =>
  Object.assign(resolveAwsSdkSigV4Config(config), {
    authSchemePreference: normalizeProvider(config.authSchemePreference ?? []),
  }) as T & HttpAuthSchemeResolvedConfig;

function sigV4AuthOption(authParameters: IoTFleetWiseHttpAuthSchemeParameters): HttpAuthOption {
  return {
    schemeId: SIGV4_SCHEME_ID,
    signingProperties: { name: SIGNING_NAME, region: authParameters.region },
    propertiesExtractor: (config, context) => ({ signingProperties: { config, context } }),
  };
}
