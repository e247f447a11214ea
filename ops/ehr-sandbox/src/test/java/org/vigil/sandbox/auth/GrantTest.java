package org.vigil.sandbox.auth;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrantTest {

    private static Grant grant(String... scopes) {
        return new Grant("c", Set.of(scopes), Instant.MAX);
    }

    @Test
    void smartV1ReadAndWriteScopes() {
        Grant grant = grant("system/Observation.write", "system/Patient.read");
        assertTrue(grant.permits("Observation", Grant.CREATE));
        assertTrue(grant.permits("Observation", Grant.UPDATE));
        assertFalse(grant.permits("Observation", Grant.SEARCH));
        assertTrue(grant.permits("Patient", Grant.SEARCH));
        assertTrue(grant.permits("Patient", Grant.READ));
        assertFalse(grant.permits("Patient", Grant.CREATE));
        assertTrue(grant("system/*.write").permits("Device", Grant.UPDATE));
        assertTrue(grant("system/*.*").permits("Device", Grant.DELETE));
    }

    @Test
    void smartV2PermissionLetters() {
        Grant grant = grant("system/Observation.c", "system/Device.cu", "system/Patient.rs?identifier=urn:mrn|");
        assertTrue(grant.permits("Observation", Grant.CREATE));
        assertFalse(grant.permits("Observation", Grant.UPDATE));
        assertTrue(grant.permits("Device", Grant.UPDATE));
        assertTrue(grant.permits("Patient", Grant.SEARCH));
        assertFalse(grant("system/Observation.uc").permits("Observation", Grant.CREATE), "letters come in cruds order");
        assertFalse(grant("user/Observation.c", "patient/*.rs").permits("Observation", Grant.CREATE),
                "backend services grant system scopes only");
    }
}
