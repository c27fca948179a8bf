// Settings of who may call the server. Contradictions stop it: a JWKS without issuer or audience would accept tokens
// minted for anyone, `required` with no credential source would lock everyone out, and the aws backend never runs
// open by default — it can create AWS accounts, so running without authentication must be said out loud.
import { ConfigError } from '../config-error.js';
import { apiKeyList, claimName, endpointUrl, oneOf, plainText } from '../parsers.js';
import { derived, onlyWith, setting } from '../setting.js';
import { BACKEND } from './server.js';

const AUTH = setting({
  name: 'STATUSGRAPH_AUTH',
  parse: oneOf(['none', 'required']),
  documentedDefault: 'required when STATUSGRAPH_API_KEYS or STATUSGRAPH_JWKS_URL is set, none otherwise (the aws backend refuses to guess)',
  accepts: 'one of none, required',
  description: 'required: every HTTP request and WebSocket authenticates; none: everyone may do everything (the demo).',
});

export const authSettings = {
  auth: derived(
    {
      mode: AUTH,
      apiKeys: setting({
        name: 'STATUSGRAPH_API_KEYS',
        parse: apiKeyList,
        default: [],
        accepts: 'a comma-separated list of name:role:sha256-hex-of-token entries, role reader or operator, names unique',
        description: 'API keys, sent as Authorization: Bearer <token>; only the SHA-256 of each token is configured.',
      }),
      /** OIDC/JWT bearer tokens, verified against the identity provider's published keys. */
      jwt: onlyWith('jwksUrl', {
        jwksUrl: setting({
          name: 'STATUSGRAPH_JWKS_URL',
          parse: endpointUrl,
          documentedDefault: '(none)',
          accepts: 'an http(s) URL without credentials, query or fragment, such as https://idp.example.com/.well-known/jwks.json',
          description: "The identity provider's JSON Web Key Set; bearer JWTs signed by one of its keys are accepted.",
        }),
        issuer: setting({
          name: 'STATUSGRAPH_JWT_ISSUER',
          parse: plainText,
          documentedDefault: '(none; required with STATUSGRAPH_JWKS_URL)',
          accepts: 'the exact iss claim of the tokens, 1 to 1024 characters',
          description: 'Tokens from any other issuer are refused.',
        }),
        audience: setting({
          name: 'STATUSGRAPH_JWT_AUDIENCE',
          parse: plainText,
          documentedDefault: '(none; required with STATUSGRAPH_JWKS_URL)',
          accepts: 'the aud claim the tokens must carry, 1 to 1024 characters',
          description: 'Tokens minted for any other audience are refused.',
        }),
        /** The claim that carries `reader` or `operator`. */
        roleClaim: setting({
          name: 'STATUSGRAPH_JWT_ROLE_CLAIM',
          parse: claimName,
          default: 'statusgraph_role',
          accepts: 'a claim name such as statusgraph_role or https://example.com/role',
          description: 'The JWT claim that holds reader or operator (a string, or an array of strings).',
        }),
      }),
    },
    ({ mode, apiKeys, jwt }, { valueOf }) => {
      const hasCredentials = apiKeys.length > 0 || jwt !== undefined;
      if (mode === 'required' && !hasCredentials) {
        throw new ConfigError(AUTH.name, '=required needs STATUSGRAPH_API_KEYS or STATUSGRAPH_JWKS_URL: nobody could get in');
      }
      if (mode === 'none' && hasCredentials) {
        throw new ConfigError(AUTH.name, '=none contradicts the configured STATUSGRAPH_API_KEYS or STATUSGRAPH_JWKS_URL; unset one side');
      }
      if (mode === undefined && !hasCredentials && valueOf(BACKEND) === 'aws') {
        throw new ConfigError(
          AUTH.name,
          ' must be decided with STATUSGRAPH_BACKEND=aws: configure STATUSGRAPH_API_KEYS or STATUSGRAPH_JWKS_URL, or set STATUSGRAPH_AUTH=none to run without authentication',
        );
      }
      return {
        /** none: everyone is an operator (the demo); required: every request and socket authenticates. */
        mode: mode ?? (hasCredentials ? 'required' : 'none'),
        apiKeys,
        ...(jwt === undefined ? {} : { jwt }),
      };
    },
  ),
};
