package org.vigil.ehr.fhir;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadingTextTest {

    @ParameterizedTest
    @CsvSource({"120.0,120", "81.4,81.4", "81.646627,81.65", "37.277778,37.28", "0.1,0.1", "1e-7,0", "8042,8042",
            "98.6,98.6", "200000,200000"})
    void valuesKeepAtMostTwoDecimals(double value, String sent) {
        assertEquals(sent, ReadingText.decimal(value).toPlainString());
    }

    @ParameterizedTest
    @CsvSource({"128.41666,128.4", "79.25,79.3", "72.0,72", "100.04,100"})
    void meansKeepOneDecimal(double value, String sent) {
        assertEquals(sent, ReadingText.mean(value).toPlainString());
    }

    @Test
    void onlyClinicalFlagsAreWorded() {
        assertEquals(Optional.of("Device reported: cuff too loose, pulse rate: above range, "
                        + "temporal relationship to meal: before breakfast."),
                ReadingText.flagsNote(List.of("cuff-too-loose", "user:2", "pulse-rate:above-range", "seq:1",
                        "temporal-relationship-to-meal:before_breakfast", "clock-corrected:30s")));
        assertEquals(Optional.empty(), ReadingText.flagsNote(List.of("sensor-contact:detected", "energy-kj:12")));
    }

    @Test
    void textFromElsewhereBecomesOneLine() {
        assertEquals("a b c", ReadingText.oneLine(" a\r\nb\n\n c\r"));
    }
}
