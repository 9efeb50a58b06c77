package dev.medley.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * JWT bearer-token verification. Exactly one of {@code jwks}, {@code jwksFile}, {@code
 * publicKeyFile} and {@code secret} names the verification keys: a verifier checks either
 * public-key signatures or HMACs, never both.
 *
 * @param issuer the exact {@code iss} every token must carry
 * @param audiences accepted audiences: a token's {@code aud} (string or list) must contain one
 * @param jwks an http(s) URL serving a JWKS; cached, refetched on an unknown {@code kid}
 * @param jwksFile a local JWKS file
 * @param publicKeyFile a local PEM file: a public key or an X.509 certificate
 * @param secrets HMAC secrets from the environment (several while rotating); empty unless the
 *     verifier is an HMAC one
 * @param algorithms the signature algorithms accepted: RS*, PS*, ES* with public keys, HS* with
 *     secrets; never {@code none}
 * @param clockSkew tolerance applied to {@code exp} and {@code nbf}, 30s by default
 * @param requireExpiry true (the default) rejects a token without {@code exp}
 * @param requiredClaims claims that must be present besides {@code iss}, {@code aud} and {@code
 *     exp}
 * @param type the required {@code typ} header (e.g. {@code at+jwt}), compared case-insensitively;
 *     null skips the check
 * @param scopeClaim the claim holding the granted scopes (space-separated string or list), {@code
 *     scope} by default
 * @param forwardClaims verified claims sent to upstreams: claim name to header name
 * @param jwksRefresh age after which a fetched JWKS is refreshed in the background, 10m by default
 * @param jwksMinRefreshInterval shortest time between two fetches caused by unknown {@code kid}s,
 *     30s by default
 * @param jwksTimeout time allowed for one JWKS fetch, 2s by default
 * @param at where it was declared
 */
public record JwtSpec(
    String issuer,
    List<String> audiences,
    String jwks,
    String jwksFile,
    String publicKeyFile,
    List<Secret> secrets,
    List<String> algorithms,
    Duration clockSkew,
    boolean requireExpiry,
    List<String> requiredClaims,
    String type,
    String scopeClaim,
    Map<String, String> forwardClaims,
    Duration jwksRefresh,
    Duration jwksMinRefreshInterval,
    Duration jwksTimeout,
    Src at) {}
