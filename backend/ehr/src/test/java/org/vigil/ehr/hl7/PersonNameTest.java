package org.vigil.ehr.hl7;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PersonNameTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "Jane Doe|Doe|Jane|-|-",
            "Jane Q. Doe|Doe|Jane|Q.|-",
            "  Jane   Quinn  Doe |Doe|Jane|Quinn|-",
            "Doe, Jane Q.|Doe|Jane|Q.|-",
            "Doe,Jane|Doe|Jane|-|-",
            "Ludwig van Beethoven|van Beethoven|Ludwig|-|-",
            "Maria Luisa de la Cruz|de la Cruz|Maria|Luisa|-",
            "Martin Luther King Jr.|King|Martin|Luther|Jr.",
            "Cher|Cher|-|-|-"})
    void splitsDisplayNames(String display, String family, String given, String middle, String suffix) {
        assertEquals(new PersonName(family, given, middle, suffix), PersonName.of(display));
    }
}
