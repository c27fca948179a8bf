// The Node.js defaults of the client, each used only when the caller's config leaves it out: the default credential
// chain, region, retry mode and max attempts from env/shared config, the keep-alive Node HTTP handler, SigV4 and
// the awsJson1_0 protocol. Generated clients split this into a shared and a per-runtime file; we run on Node only.
import { createDefaultUserAgentProvider, NODE_APP_ID_CONFIG_OPTIONS } from '@aws-sdk/core/client';
import { AwsSdkSigV4Signer, NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } from '@aws-sdk/core/httpAuthSchemes';
import { AwsJson1_0Protocol } from '@aws-sdk/core/protocols';
import { defaultProvider as credentialDefaultProvider } from '@aws-sdk/credential-provider-node';
import { loadConfigsForDefaultMode, NoOpLogger } from '@smithy/core/client';
import {
  loadConfig,
  NODE_REGION_CONFIG_FILE_OPTIONS,
  NODE_REGION_CONFIG_OPTIONS,
  NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS,
  NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS,
  resolveDefaultsModeConfig,
} from '@smithy/core/config';
import { parseUrl } from '@smithy/core/protocols';
import { DEFAULT_RETRY_MODE, NODE_MAX_ATTEMPT_CONFIG_OPTIONS, NODE_RETRY_MODE_CONFIG_OPTIONS } from '@smithy/core/retry';
import { calculateBodyLength, fromBase64, fromUtf8, Hash, toBase64, toUtf8 } from '@smithy/core/serde';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import type { HttpAuthScheme } from '@smithy/types';
import { defaultIoTFleetWiseHttpAuthSchemeProvider, SIGV4_SCHEME_ID } from './auth/httpAuthSchemeProvider.js';
import { defaultEndpointResolver } from './endpoint/endpointResolver.js';
import type { IoTFleetWiseClientConfig } from './IoTFleetWiseClient.js';
import { errorTypeRegistries } from './schemas/schemas_0.js';

/** IoT FleetWise API version. */
export const API_VERSION = '2021-06-17';
/** The SDK service id: names the `AWS_ENDPOINT_URL_IOTFLEETWISE` variable and the `iotfleetwise` config-file key. */
export const SERVICE_ID = 'IoTFleetWise';
/** The Smithy service shape, the prefix of `X-Amz-Target`. */
export const SERVICE_TARGET = 'IoTAutobahnControlPlane';
/** This client's version in the User-Agent (`api/iotfleetwise#<version>`). */
const CLIENT_VERSION = '0.1.0';

export const getRuntimeConfig = (config: IoTFleetWiseClientConfig) => {
  const defaultsMode = resolveDefaultsModeConfig(config);
  const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
  const logger = config.logger ?? new NoOpLogger();
  const loaderConfig = { profile: config.profile, logger };
  return {
    apiVersion: API_VERSION,
    base64Decoder: fromBase64,
    base64Encoder: toBase64,
    disableHostPrefix: false,
    endpointProvider: defaultEndpointResolver,
    extensions: [],
    httpAuthSchemeProvider: defaultIoTFleetWiseHttpAuthSchemeProvider,
    httpAuthSchemes: [sigV4AuthScheme()],
    logger,
    protocol: AwsJson1_0Protocol,
    protocolSettings: {
      defaultNamespace: 'com.amazonaws.iotfleetwise',
      errorTypeRegistries,
      version: API_VERSION,
      serviceTarget: SERVICE_TARGET,
    },
    serviceId: SERVICE_ID,
    urlParser: parseUrl,
    utf8Decoder: fromUtf8,
    utf8Encoder: toUtf8,
    ...config,
    runtime: 'node',
    defaultsMode,
    authSchemePreference: config.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig),
    bodyLengthChecker: config.bodyLengthChecker ?? calculateBodyLength,
    credentialDefaultProvider: config.credentialDefaultProvider ?? credentialDefaultProvider,
    defaultUserAgentProvider:
      config.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: SERVICE_ID, clientVersion: CLIENT_VERSION }),
    maxAttempts: config.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config),
    region: config.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
    requestHandler: NodeHttpHandler.create(config.requestHandler ?? defaultConfigProvider),
    retryMode:
      config.retryMode ??
      loadConfig(
        {
          ...NODE_RETRY_MODE_CONFIG_OPTIONS,
          default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE,
        },
        config,
      ),
    sha256: config.sha256 ?? Hash.bind(null, 'sha256'),
    streamCollector: config.streamCollector ?? streamCollector,
    useDualstackEndpoint: config.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
    useFipsEndpoint: config.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
    userAgentAppId: config.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig),
  };
};

/** A new scheme (and array) per client: runtime extensions may replace schemes in place. */
function sigV4AuthScheme(): HttpAuthScheme {
  return {
    schemeId: SIGV4_SCHEME_ID,
    identityProvider: (ipc) => ipc.getIdentityProvider(SIGV4_SCHEME_ID),
    signer: new AwsSdkSigV4Signer(),
  };
}
