package org.vigil.normalize.gatt;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The outside GATT corpus ({@code ops/corpus/gatt/cases.json}, a copy of ../shared/corpus), read as it is. Missing
 * corpus is an error, never a skip: a test that cannot see its oracle must not pass.
 */
final class GattCorpus {
    static final JsonMapper JSON = JsonMapper.createDefault();

    record Case(String id, String characteristic, String hex, boolean valid, JsonNode expected) {
        byte[] bytes() {
            return HexFormat.of().parseHex(hex.replace(" ", ""));
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private GattCorpus() {
    }

    static Path file() {
        // Maven sets vigil.corpus to the vendored copy (ops/corpus.md); the fallback serves a run from the module dir.
        Path corpus = Path.of(System.getProperty("vigil.corpus", "../../ops/corpus")).resolve("gatt/cases.json").toAbsolutePath().normalize();
        if (!Files.exists(corpus)) {
            throw new IllegalStateException("The outside test corpus is missing: " + corpus + " (see ops/corpus.md).");
        }
        return corpus;
    }

    /** The cases to test against; the {@code disputed_do_not_use_as_oracle} list is left out on purpose. */
    static List<Case> cases() {
        JsonNode root;
        try {
            root = JSON.readValue(Files.readAllBytes(file()), JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : root.get("cases").values()) {
            cases.add(new Case(c.get("id").getStringValue(), c.get("characteristic").getStringValue(),
                    c.get("hex").getStringValue(), c.get("expected_valid").getBooleanValue(), c.get("expected")));
        }
        return cases;
    }

    static Case byId(String id) {
        return cases().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No case '" + id + "' in " + file()));
    }
}
