package org.vigil.registry;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PatientsTest {
    /** Searched text is matched literally: LIKE's wildcards and its escape character in a name mean themselves. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Anna        | Anna
            100%        | 100\\%
            o_brien     | o\\_brien
            back\\slash | back\\\\slash
            """)
    void likePatternsMatchTheTextLiterally(String text, String pattern) {
        assertEquals(pattern, Patients.likeEscaped(text));
    }
}
