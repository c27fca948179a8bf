// The endpoint parameters of IoT FleetWise and where each comes from in the client config.
import type { Endpoint, EndpointParameters as __EndpointParameters, EndpointV2, Provider } from '@smithy/types';

/** SigV4 signing name, also the default service name for endpoint resolution. */
export const SIGNING_NAME = 'iotfleetwise';

export interface ClientInputEndpointParameters {
  region?: string | undefined | Provider<string | undefined>;
  useDualstackEndpoint?: boolean | undefined | Provider<boolean | undefined>;
  useFipsEndpoint?: boolean | undefined | Provider<boolean | undefined>;
  /** A fixed endpoint (an emulator, a VPC endpoint); when unset, `AWS_ENDPOINT_URL_IOTFLEETWISE`,
   * `AWS_ENDPOINT_URL` and the shared config file are consulted before the ruleset. */
  endpoint?: string | Provider<string> | Endpoint | Provider<Endpoint> | EndpointV2 | Provider<EndpointV2>;
}

export type ClientResolvedEndpointParameters = Omit<ClientInputEndpointParameters, 'endpoint'> & {
  defaultSigningName: string;
};

export const resolveClientEndpointParameters = <T>(
  options: T & ClientInputEndpointParameters,
): T & ClientResolvedEndpointParameters =>
  Object.assign(options, {
    useDualstackEndpoint: options.useDualstackEndpoint ?? false,
    useFipsEndpoint: options.useFipsEndpoint ?? false,
    defaultSigningName: SIGNING_NAME,
  });

/** Every operation reads the same four built-in parameters from the client config. */
export const commonParams = {
  UseFIPS: { type: 'builtInParams', name: 'useFipsEndpoint' },
  Endpoint: { type: 'builtInParams', name: 'endpoint' },
  Region: { type: 'builtInParams', name: 'region' },
  UseDualStack: { type: 'builtInParams', name: 'useDualstackEndpoint' },
} as const;

export interface EndpointParameters extends __EndpointParameters {
  Region?: string | undefined;
  UseDualStack?: boolean | undefined;
  UseFIPS?: boolean | undefined;
  Endpoint?: string | undefined;
}
