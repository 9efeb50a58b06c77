package dev.medley.config;

/**
 * HTTP Basic authentication against an htpasswd file of bcrypt hashes (opt-in per route with {@code
 * auth: basic}, or the default when it is the only provider).
 *
 * @param htpasswdFile the file, re-read with every config load
 * @param realm the realm named in {@code WWW-Authenticate: Basic realm="..."}
 * @param users the file's users, checked at load
 * @param at where it was declared
 */
public record BasicSpec(String htpasswdFile, String realm, Htpasswd users, Src at) {}
