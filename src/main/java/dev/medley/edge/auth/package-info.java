/**
 * Caller authentication at the edge: JWT bearer tokens (verification keys from a remote JWKS, a
 * local JWKS or PEM, or HMAC secrets from the environment; the verifier checks the algorithm
 * allow-list, signature, iss/aud/exp/nbf on the injected clock), HTTP Basic against a bcrypt
 * htpasswd file, and the filters that answer 401 and 403. Start with {@link
 * dev.medley.edge.auth.JwtVerifier} and {@link dev.medley.edge.auth.BasicVerifier}.
 */
package dev.medley.edge.auth;
