package org.vigil.normalize;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The vendored corpus (ops/corpus) is the outside corpus as it is: when the live copy is next to the checkout,
 * they must be byte for byte the same, so that an update by its authors is noticed rather than silently untested.
 */
class CorpusSnapshotTest {

    @Test
    void theVendoredCorpusIsTheSharedOne() throws IOException {
        Path vendored = Path.of(System.getProperty("vigil.corpus", "../../ops/corpus"));
        Path shared = Path.of(System.getProperty("vigil.shared.corpus", "../../../shared/corpus"));
        Assumptions.assumeTrue(Files.isDirectory(shared), "no shared corpus next to this checkout (as in CI)");
        Map<String, Long> a = checksums(vendored);
        Map<String, Long> b = checksums(shared);
        List<String> differ = new ArrayList<>();
        b.forEach((file, sum) -> {
            if (!sum.equals(a.get(file))) {
                differ.add(file);
            }
        });
        a.keySet().stream().filter(f -> !b.containsKey(f)).forEach(differ::add);
        assertEquals(List.of(), differ, "ops/corpus differs from " + shared + ": run ops/corpus-sync and re-run the tests");
    }

    private static Map<String, Long> checksums(Path root) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(f).toString(), checksum(Files.readAllBytes(f)));
            }
        }
        return out;
    }

    private static long checksum(byte[] bytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        return crc.getValue() ^ ((long) bytes.length << 32);
    }
}
