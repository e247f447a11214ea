package org.vigil.normalize;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigil.core.VitalSign;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnitsTest {

    @ParameterizedTest(name = "{1} {2} → {3} ({0})")
    @CsvSource(delimiter = '|', textBlock = """
            29463-7 | 180      | lb          | 81.646627
            29463-7 | 180      | [lb_av]     | 81.646627
            29463-7 | 2880     | oz          | 81.646627
            29463-7 | 81646.6  | g           | 81.6466
            29463-7 | 0.0816   | Metric Ton  | 81.6
            8310-5  | 98.6     | [degF]      | 37.0
            8310-5  | 310.15   | K           | 37.0
            8310-5  | 37       | Cel         | 37.0
            2339-0  | 5.5      | mmol/L      | 99.0858
            2339-0  | 0.00095  | kg/L        | 95.0
            2339-0  | 0.0055   | mol/L       | 99.0858
            8480-6  | 16       | kPa         | 120.009852
            8480-6  | 120      | mmHg        | 120.0
            8867-4  | 64       | bpm         | 64.0
            8302-2  | 1.75     | m           | 175.0
            8302-2  | 69       | [in_i]      | 175.26
            """)
    void convertsToTheCanonicalUnit(String code, double value, String unit, double expected) {
        VitalSign sign = VitalSign.byCode(code).orElseThrow();
        assertEquals(expected, Units.toCanonical(sign, value, unit).orElseThrow(), 1e-6);
    }

    @ParameterizedTest(name = "{1} is not a unit of {0}")
    @CsvSource(delimiter = '|', textBlock = """
            29463-7 | mmol/L
            8310-5  | kg
            2339-0  | mmHg
            59408-5 | ''
            """)
    void refusesUnitsOfAnotherQuantity(String code, String unit) {
        assertEquals(Optional.empty(), Units.toCanonical(VitalSign.byCode(code).orElseThrow(), 1, unit));
    }
}
