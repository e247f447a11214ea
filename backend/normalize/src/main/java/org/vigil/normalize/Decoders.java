package org.vigil.normalize;

import jakarta.inject.Singleton;
import org.vigil.core.ErrorCode;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one entry point from a transport to canonical readings: picks the decoder for the payload's format,
 * decodes, normalizes. It never throws: whatever a payload contains, the caller gets readings, problems, or both.
 */
@Singleton
public class Decoders {
    private final Map<String, FormatDecoder> byFormat;
    private final Normalizer normalizer;

    public Decoders(List<FormatDecoder> decoders, Normalizer normalizer) {
        this.byFormat = decoders.stream().collect(Collectors.toUnmodifiableMap(FormatDecoder::format, Function.identity()));
        this.normalizer = normalizer;
    }

    public Normalized decode(Payload payload) {
        FormatDecoder decoder = byFormat.get(payload.format());
        if (decoder == null) {
            return Normalized.rejected(new Problem(ErrorCode.UNSUPPORTED_FORMAT,
                    "No decoder for format '" + payload.format() + "' (known: " + formats() + ")."));
        }
        try {
            return normalizer.normalize(payload, decoder.decode(payload));
        } catch (PayloadRejected e) {
            return Normalized.rejected(e.problem());
        } catch (RuntimeException e) {
            // A decoder bug must not take the consumer down or lose the message: dead-letter it with what happened.
            return Normalized.rejected(new Problem(ErrorCode.MALFORMED_PAYLOAD,
                    "The " + payload.format() + " decoder could not read this payload (" + e + ")."));
        }
    }

    public Set<String> formats() {
        return new TreeSet<>(byFormat.keySet());
    }
}
