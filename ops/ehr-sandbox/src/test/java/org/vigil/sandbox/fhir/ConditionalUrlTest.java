package org.vigil.sandbox.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConditionalUrlTest {

    @Test
    void identifierSearchesAreReadInEveryFormAConnectorMaySend() {
        assertEquals(new IdentifierQuery("urn:vigil:reading", "abc"), ConditionalUrl.parse("identifier=urn:vigil:reading|abc"));
        assertEquals(new IdentifierQuery("urn:vigil:reading", "abc"),
                ConditionalUrl.parse("Observation?identifier=urn%3Avigil%3Areading%7Cabc"));
        assertEquals(new IdentifierQuery(null, "abc"), ConditionalUrl.parse("identifier=abc"));
        assertEquals(new IdentifierQuery("", "abc"), ConditionalUrl.parse("identifier=|abc"));
        assertEquals(new IdentifierQuery("urn:x", null), ConditionalUrl.parse("identifier=urn:x|"));
        // RFC 3986: a '+' in a hash stays a '+'
        assertEquals(new IdentifierQuery("urn:h", "a+b/c="), ConditionalUrl.parse("identifier=urn:h|a+b/c="));
    }

    @Test
    void anythingButOneIdentifierIsRefusedRatherThanIgnored() {
        assertThrows(InvalidRequestException.class, () -> ConditionalUrl.parse("code=8867-4"));
        assertThrows(InvalidRequestException.class, () -> ConditionalUrl.parse("identifier=a&identifier=b"));
        assertThrows(InvalidRequestException.class, () -> ConditionalUrl.parse("identifier=a&_id=1"));
        assertThrows(InvalidRequestException.class, () -> ConditionalUrl.parse("Observation?"));
        assertThrows(InvalidRequestException.class, () -> ConditionalUrl.parse("identifier=%zz"));
    }
}
