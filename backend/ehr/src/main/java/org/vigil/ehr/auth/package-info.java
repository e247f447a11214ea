/** SMART Backend Services: our signing keys per tenant, their JWKS, client assertions and cached access tokens. */
package org.vigil.ehr.auth;
