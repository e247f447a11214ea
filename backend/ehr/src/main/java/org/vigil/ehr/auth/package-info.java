/**
 * SMART Backend Services: our signing keys per tenant, their JWKS, client assertions and cached access tokens.
 *
 * <p>{@link org.vigil.ehr.auth.SigningKeys} keeps each tenant's keys (RS384 on RSA 3072, ES384 on P-384) in
 * {@code ehr_signing_keys}, private halves sealed by {@link org.vigil.ehr.auth.KeySealer} under the platform's
 * key-encryption key ({@code vigil.ehr.key-encryption-key}, env {@code VIGIL_EHR_KEK}); the app publishes the public
 * halves at {@code /api/v1/tenants/{tenant}/jwks.json}. {@link org.vigil.ehr.auth.ClientAssertions} signs the
 * {@code private_key_jwt} assertion of a token request and {@link org.vigil.ehr.auth.AccessTokens} makes the
 * request, caches the token and classifies failures ({@link org.vigil.ehr.auth.TokenUnavailable#endpointDown()}).
 */
package org.vigil.ehr.auth;
