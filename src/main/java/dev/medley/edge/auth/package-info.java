/**
 * JWT bearer authentication at the edge: verification keys (remote JWKS, local JWKS or PEM), the
 * verifier (algorithm allow-list, signature, iss/aud/exp/nbf on the injected clock), and the
 * filters that answer 401 and 403. Start with {@link dev.medley.edge.auth.JwtVerifier}.
 */
package dev.medley.edge.auth;
