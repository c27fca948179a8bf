// Runtime extensions (the `extensions` client option): plugins that may swap the region, HTTP handler, retry
// strategy, credentials or auth schemes of a client after its defaults are resolved, as on every generated client.
import {
  getAwsRegionExtensionConfiguration,
  resolveAwsRegionExtensionConfiguration,
} from '@aws-sdk/core/client';
import type { AwsRegionExtensionConfiguration } from '@aws-sdk/types';
import { getDefaultExtensionConfiguration, resolveDefaultRuntimeConfig } from '@smithy/core/client';
import {
  getHttpHandlerExtensionConfiguration,
  resolveHttpHandlerRuntimeConfig,
  type HttpHandlerExtensionConfiguration,
} from '@smithy/core/protocols';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  DefaultExtensionConfiguration,
  HttpAuthScheme,
} from '@smithy/types';
import type { IoTFleetWiseHttpAuthSchemeProvider } from './auth/httpAuthSchemeProvider.js';

export interface HttpAuthExtensionConfiguration {
  setHttpAuthScheme(httpAuthScheme: HttpAuthScheme): void;
  httpAuthSchemes(): HttpAuthScheme[];
  setHttpAuthSchemeProvider(httpAuthSchemeProvider: IoTFleetWiseHttpAuthSchemeProvider): void;
  httpAuthSchemeProvider(): IoTFleetWiseHttpAuthSchemeProvider;
  setCredentials(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider): void;
  credentials(): AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
}

export interface IoTFleetWiseExtensionConfiguration
  extends HttpHandlerExtensionConfiguration,
    DefaultExtensionConfiguration,
    AwsRegionExtensionConfiguration,
    HttpAuthExtensionConfiguration {}

export interface RuntimeExtension {
  configure(extensionConfiguration: IoTFleetWiseExtensionConfiguration): void;
}

export interface RuntimeExtensionsConfig {
  extensions: RuntimeExtension[];
}

interface HttpAuthRuntimeConfig {
  httpAuthSchemes: HttpAuthScheme[];
  httpAuthSchemeProvider: IoTFleetWiseHttpAuthSchemeProvider;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export const resolveRuntimeExtensions = <T extends HttpAuthRuntimeConfig>(runtimeConfig: T, extensions: RuntimeExtension[]): T => {
  // The SDK's extension helpers are typed loosely; they read and write the matching keys of the config.
  const config = runtimeConfig as T & Parameters<typeof getDefaultExtensionConfiguration>[0] &
    Parameters<typeof getAwsRegionExtensionConfiguration>[0] & Parameters<typeof getHttpHandlerExtensionConfiguration>[0];
  const extensionConfiguration: IoTFleetWiseExtensionConfiguration = Object.assign(
    getAwsRegionExtensionConfiguration(config),
    getDefaultExtensionConfiguration(config),
    getHttpHandlerExtensionConfiguration(config),
    getHttpAuthExtensionConfiguration(config),
  );
  for (const extension of extensions) extension.configure(extensionConfiguration);
  return Object.assign(
    runtimeConfig,
    resolveAwsRegionExtensionConfiguration(extensionConfiguration),
    resolveDefaultRuntimeConfig(extensionConfiguration),
    resolveHttpHandlerRuntimeConfig(extensionConfiguration),
    resolveHttpAuthRuntimeConfig(extensionConfiguration),
  );
};

function getHttpAuthExtensionConfiguration(runtimeConfig: HttpAuthRuntimeConfig): HttpAuthExtensionConfiguration {
  const schemes = runtimeConfig.httpAuthSchemes;
  let schemeProvider = runtimeConfig.httpAuthSchemeProvider;
  let credentials = runtimeConfig.credentials;
  return {
    setHttpAuthScheme(scheme) {
      const index = schemes.findIndex((known) => known.schemeId === scheme.schemeId);
      if (index === -1) schemes.push(scheme);
      else schemes.splice(index, 1, scheme);
    },
    httpAuthSchemes: () => schemes,
    setHttpAuthSchemeProvider(provider) {
      schemeProvider = provider;
    },
    httpAuthSchemeProvider: () => schemeProvider,
    setCredentials(identity) {
      credentials = identity;
    },
    credentials: () => credentials,
  };
}

function resolveHttpAuthRuntimeConfig(config: HttpAuthExtensionConfiguration): HttpAuthRuntimeConfig {
  return {
    httpAuthSchemes: config.httpAuthSchemes(),
    httpAuthSchemeProvider: config.httpAuthSchemeProvider(),
    credentials: config.credentials(),
  };
}
