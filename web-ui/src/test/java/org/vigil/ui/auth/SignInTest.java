package org.vigil.ui.auth;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignInTest {
    @Test
    void afterSignInOnlyPathsOfThisSite() {
        assertEquals("/patients/1?x=2", SignInServlet.safeNext("/patients/1?x=2"));
        for (String bad : new String[]{null, "", "https://evil.example/", "//evil.example", "/\\evil", "/login?next=/", "/oauth/callback"}) {
            assertEquals("/", SignInServlet.safeNext(bad), String.valueOf(bad));
        }
    }

    @Test
    void pkceChallengeIsTheRfc7636Example() {
        // RFC 7636, appendix B
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", OidcClient.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    @Test
    void viewsWithoutRolesAreClosed() {
        SignedInUser cm = new SignedInUser("s", "carla", "Carla", "demo", Set.of("care-manager"), "t", java.time.Instant.now());
        assertTrue(Access.allowed(Open.class, cm));
        assertTrue(Access.allowed(ForCareManagers.class, cm));
        assertFalse(Access.allowed(ForAdmins.class, cm));
        assertFalse(Access.allowed(Unmarked.class, cm));
    }

    @jakarta.annotation.security.PermitAll
    static class Open {
    }

    @jakarta.annotation.security.RolesAllowed("care-manager")
    static class ForCareManagers {
    }

    @jakarta.annotation.security.RolesAllowed("tenant-admin")
    static class ForAdmins {
    }

    static class Unmarked {
    }
}
