package org.vigil.normalize.hl7;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class MdcTableTest {
    private final MdcTable table = MdcTable.fromClasspath();

    /** Both MDC families for blood pressure, both SpO2 codes, and Vigil's own choice for the MEAN components. */
    @ParameterizedTest
    @CsvSource({
            "150020, 85354-9", "150021, 8480-6", "150022, 8462-4", "150023, 8478-0",
            "150016, 85354-9", "150017, 8480-6", "150018, 8462-4", "150019, 8478-0",
            "150456, 59408-5", "150324, 59408-5", "149530, 8867-4", "149546, 8867-4", "147842, 8867-4",
            "150364, 8310-5", "188736, 29463-7", "188740, 8302-2", "151562, 9279-1",
            "149514, ''", "188452, 8328-7",
    })
    void mdcCodesMapToTheLoincVigilStores(int mdc, String loinc) {
        assertEquals(loinc, table.byCode(mdc).orElseThrow().loinc());
    }

    @Test
    void referenceIdsFindTheSameEntries() {
        assertEquals(table.byCode(150021), table.byRefId("MDC_PRESS_BLD_NONINV_SYS"));
    }

    /** The resource is the team's sourced table unchanged: corrections go to the corpus or to the Vigil overrides. */
    @Test
    void theSourcedTableIsTheCorpusFileUnchanged() throws IOException {
        try (InputStream in = MdcTable.class.getClassLoader().getResourceAsStream(MdcTable.SOURCED)) {
            assertNotNull(in);
            assertArrayEquals(java.nio.file.Files.readAllBytes(Hl7Corpus.root().resolve("mdc-loinc.csv")), in.readAllBytes());
        }
    }

    @Test
    void quotedCellsKeepTheirCommasAndQuotes() {
        assertEquals(java.util.List.of("1", "a, \"b\"", ""), MdcTable.Csv.split("1,\"a, \"\"b\"\"\","));
    }
}
