// IoTFleetWiseClient: the smithy client with the middleware every generated AWS client carries — schema serde,
// user agent, standard retries, content length, host header, logger, recursion detection, endpoint resolution,
// auth scheme selection and SigV4 signing — configured for IoT FleetWise.
import {
  getHostHeaderPlugin,
  getLoggerPlugin,
  getRecursionDetectionPlugin,
  getUserAgentPlugin,
  resolveHostHeaderConfig,
  resolveUserAgentConfig,
  type HostHeaderInputConfig,
  type HostHeaderResolvedConfig,
  type UserAgentInputConfig,
  type UserAgentResolvedConfig,
} from '@aws-sdk/core/client';
import {
  DefaultIdentityProviderConfig,
  getHttpAuthSchemeEndpointRuleSetPlugin,
  getHttpSigningPlugin,
} from '@smithy/core';
import {
  Client as __Client,
  type DefaultsMode as __DefaultsMode,
  type SmithyConfiguration as __SmithyConfiguration,
  type SmithyResolvedConfiguration as __SmithyResolvedConfiguration,
} from '@smithy/core/client';
import { resolveRegionConfig, type RegionInputConfig, type RegionResolvedConfig } from '@smithy/core/config';
import { resolveEndpointConfig, type EndpointInputConfig, type EndpointResolvedConfig } from '@smithy/core/endpoints';
import { getContentLengthPlugin, type HttpHandlerUserInput as __HttpHandlerUserInput } from '@smithy/core/protocols';
import { getRetryPlugin, resolveRetryConfig, type RetryInputConfig, type RetryResolvedConfig } from '@smithy/core/retry';
import { getSchemaSerdePlugin } from '@smithy/core/schema';
import type {
  AwsCredentialIdentityProvider,
  BodyLengthCalculator as __BodyLengthCalculator,
  CheckOptionalClientConfig as __CheckOptionalClientConfig,
  ChecksumConstructor as __ChecksumConstructor,
  Decoder as __Decoder,
  Encoder as __Encoder,
  HashConstructor as __HashConstructor,
  HttpHandlerOptions as __HttpHandlerOptions,
  Logger as __Logger,
  Provider as __Provider,
  StreamCollector as __StreamCollector,
  UrlParser as __UrlParser,
  UserAgent as __UserAgent,
} from '@smithy/types';
import {
  defaultIoTFleetWiseHttpAuthSchemeParametersProvider,
  resolveHttpAuthSchemeConfig,
  SIGV4_SCHEME_ID,
  type HttpAuthSchemeInputConfig,
  type HttpAuthSchemeResolvedConfig,
} from './auth/httpAuthSchemeProvider.js';
import type {
  GetRegisterAccountStatusCommandInput,
  GetRegisterAccountStatusCommandOutput,
} from './commands/GetRegisterAccountStatusCommand.js';
import type { RegisterAccountCommandInput, RegisterAccountCommandOutput } from './commands/RegisterAccountCommand.js';
import {
  resolveClientEndpointParameters,
  type ClientInputEndpointParameters,
  type ClientResolvedEndpointParameters,
  type EndpointParameters,
} from './endpoint/EndpointParameters.js';
import { getRuntimeConfig } from './runtimeConfig.js';
import { resolveRuntimeExtensions, type RuntimeExtension, type RuntimeExtensionsConfig } from './runtimeExtensions.js';

export { __Client };

export type ServiceInputTypes = GetRegisterAccountStatusCommandInput | RegisterAccountCommandInput;
export type ServiceOutputTypes = GetRegisterAccountStatusCommandOutput | RegisterAccountCommandOutput;

export interface ClientDefaults extends Partial<__SmithyConfiguration<__HttpHandlerOptions>> {
  /** The HTTP handler, or options for the default NodeHttpHandler (`{ requestTimeout, httpAgent }`). */
  requestHandler?: __HttpHandlerUserInput;
  sha256?: __ChecksumConstructor | __HashConstructor;
  urlParser?: __UrlParser;
  bodyLengthChecker?: __BodyLengthCalculator;
  streamCollector?: __StreamCollector;
  base64Decoder?: __Decoder;
  base64Encoder?: __Encoder;
  utf8Decoder?: __Decoder;
  utf8Encoder?: __Encoder;
  runtime?: string;
  disableHostPrefix?: boolean;
  serviceId?: string;
  useDualstackEndpoint?: boolean | __Provider<boolean>;
  useFipsEndpoint?: boolean | __Provider<boolean>;
  /** The region requests are sent to and signed for; defaults to `AWS_REGION` or the shared config file. */
  region?: string | __Provider<string>;
  /** The shared-config profile to read region, retry and endpoint settings from. */
  profile?: string;
  defaultUserAgentProvider?: __Provider<__UserAgent>;
  /** The credential chain used when `credentials` is not given: env, SSO, ini files, process, web identity, ECS/IMDS. */
  credentialDefaultProvider?: (input: unknown) => AwsCredentialIdentityProvider;
  /** Attempts per call, the first included; defaults to `AWS_MAX_ATTEMPTS` or 3. */
  maxAttempts?: number | __Provider<number>;
  /** `standard` (default) or `adaptive`. */
  retryMode?: string | __Provider<string>;
  logger?: __Logger;
  extensions?: RuntimeExtension[];
  defaultsMode?: __DefaultsMode | __Provider<__DefaultsMode>;
}

export type IoTFleetWiseClientConfigType = Partial<__SmithyConfiguration<__HttpHandlerOptions>> &
  ClientDefaults &
  UserAgentInputConfig &
  RetryInputConfig &
  RegionInputConfig &
  HostHeaderInputConfig &
  EndpointInputConfig<EndpointParameters> &
  HttpAuthSchemeInputConfig &
  ClientInputEndpointParameters;

/** What `new IoTFleetWiseClient(config)` accepts; every member is optional. */
export type IoTFleetWiseClientConfig = IoTFleetWiseClientConfigType;

export type IoTFleetWiseClientResolvedConfigType = __SmithyResolvedConfiguration<__HttpHandlerOptions> &
  Required<ClientDefaults> &
  RuntimeExtensionsConfig &
  UserAgentResolvedConfig &
  RetryResolvedConfig &
  RegionResolvedConfig &
  HostHeaderResolvedConfig &
  EndpointResolvedConfig<EndpointParameters> &
  HttpAuthSchemeResolvedConfig &
  ClientResolvedEndpointParameters;

export type IoTFleetWiseClientResolvedConfig = IoTFleetWiseClientResolvedConfigType;

export class IoTFleetWiseClient extends __Client<
  __HttpHandlerOptions,
  ServiceInputTypes,
  ServiceOutputTypes,
  IoTFleetWiseClientResolvedConfig
> {
  override readonly config: IoTFleetWiseClientResolvedConfig;

  constructor(...[configuration]: __CheckOptionalClientConfig<IoTFleetWiseClientConfig>) {
    const runtimeConfig = getRuntimeConfig(configuration ?? {});
    // The resolvers below complete this same object in place (Object.assign), so the base class holds the final config.
    super(runtimeConfig as unknown as IoTFleetWiseClientResolvedConfig);
    this.initConfig = runtimeConfig;
    // The order matters: each resolver reads what the previous ones settled (endpoint needs region and serviceId,
    // auth needs credentials and region).
    const withEndpointParameters = resolveClientEndpointParameters(runtimeConfig);
    const withUserAgent = resolveUserAgentConfig(withEndpointParameters);
    const withRetry = resolveRetryConfig(withUserAgent);
    const withRegion = resolveRegionConfig(withRetry);
    const withHostHeader = resolveHostHeaderConfig(withRegion);
    const withEndpoint = resolveEndpointConfig(withHostHeader);
    const withAuth = resolveHttpAuthSchemeConfig(withEndpoint);
    this.config = resolveRuntimeExtensions(withAuth, configuration?.extensions ?? []) as IoTFleetWiseClientResolvedConfig;

    this.middlewareStack.use(getSchemaSerdePlugin(this.config));
    this.middlewareStack.use(getUserAgentPlugin(this.config));
    this.middlewareStack.use(getRetryPlugin(this.config));
    this.middlewareStack.use(getContentLengthPlugin(this.config));
    this.middlewareStack.use(getHostHeaderPlugin(this.config));
    this.middlewareStack.use(getLoggerPlugin(this.config));
    this.middlewareStack.use(getRecursionDetectionPlugin(this.config));
    this.middlewareStack.use(
      getHttpAuthSchemeEndpointRuleSetPlugin(this.config, {
        httpAuthSchemeParametersProvider: defaultIoTFleetWiseHttpAuthSchemeParametersProvider,
        identityProviderConfigProvider: async (config: IoTFleetWiseClientResolvedConfig) =>
          new DefaultIdentityProviderConfig({ [SIGV4_SCHEME_ID]: config.credentials }),
      }),
    );
    this.middlewareStack.use(getHttpSigningPlugin(this.config));
  }
}
