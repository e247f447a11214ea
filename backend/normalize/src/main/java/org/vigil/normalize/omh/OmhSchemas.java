package org.vigil.normalize.omh;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.ValidationMessage;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The compiled Open mHealth schemas: the data point envelope and every measure body Vigil decodes. All of them
 * are compiled once, when the bean is created, so a broken bundle fails at startup rather than on a message, and
 * validation afterwards only reads immutable state (safe from any thread).
 */
@Singleton
public class OmhSchemas {
    private static final String DATA_POINT = "data-point-1.0.json";
    private static final Set<String> COMBINATORS = Set.of("oneOf", "anyOf");

    private final JsonSchema dataPoint;
    private final Map<OmhSchemaId, JsonSchema> bodies;

    /** One schema violation: a JSON pointer into the validated document, and what is wrong there. */
    record Violation(String pointer, String message) {
    }

    public OmhSchemas() {
        OmhSchemaLoader loader = new OmhSchemaLoader(OmhSchemas.class.getClassLoader());
        JsonSchemaFactory factory = JsonSchemaFactory.builder()
                .defaultMetaSchemaIri(JsonMetaSchema.getV7().getIri())
                .metaSchema(withOmhAnnotations(JsonMetaSchema.getV4()))
                .metaSchema(withOmhAnnotations(JsonMetaSchema.getV7()))
                .schemaLoaders(loaders -> loaders.add(loader))
                .build();
        // draft-04 and draft-07 assert "format" (date-time) by default; the setting makes that explicit
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .build();
        this.dataPoint = compile(factory, config, DATA_POINT);
        Map<OmhSchemaId, JsonSchema> compiled = new HashMap<>();
        for (OmhMeasure measure : OmhMeasure.values()) {
            for (OmhSchemaId id : measure.schemaIds()) {
                compiled.put(id, compile(factory, config, id.fileName()));
            }
        }
        this.bodies = Map.copyOf(compiled);
    }

    /** Violations of the data point envelope (header shape, body is an object); empty when it conforms. */
    List<Violation> validateDataPoint(JsonNode dataPointNode) {
        return violations(dataPoint.validate(dataPointNode));
    }

    /** Violations of the body against its schema; empty when it conforms. Empty optional: schema not bundled. */
    Optional<List<Violation>> validateBody(OmhSchemaId id, JsonNode body) {
        JsonSchema schema = bodies.get(id);
        return schema == null ? Optional.empty() : Optional.of(violations(schema.validate(body)));
    }

    private static JsonSchema compile(JsonSchemaFactory factory, SchemaValidatorsConfig config, String fileName) {
        JsonSchema schema = factory.getSchema(SchemaLocation.of(OmhSchemaLoader.OMH_BASE + fileName), config);
        // resolve every $ref now: a missing bundled file must fail here, not on the first message that needs it
        schema.preloadJsonSchema();
        return schema;
    }

    /** Open mHealth schemas document themselves with two keywords JSON Schema does not define. */
    private static JsonMetaSchema withOmhAnnotations(JsonMetaSchema base) {
        return JsonMetaSchema.builder(base)
                .keyword(new NonValidationKeyword("references"))
                .keyword(new NonValidationKeyword("deprecation"))
                .build();
    }

    /**
     * The violations in the validator's order, leaving out "no alternative of a oneOf/anyOf fit" when the messages
     * from inside the alternatives are there to say why; those are the ones a sender can act on.
     */
    private static List<Violation> violations(Set<ValidationMessage> messages) {
        List<ValidationMessage> specific = messages.stream().filter(m -> !COMBINATORS.contains(m.getType())).toList();
        return (specific.isEmpty() ? List.copyOf(messages) : specific).stream().map(OmhSchemas::violation).toList();
    }

    private static Violation violation(ValidationMessage m) {
        String pointer = m.getInstanceLocation().toString();
        String message = m.getMessage();
        // the validator prefixes its message with the location; callers place it in their own frame of reference
        String prefix = pointer + ": ";
        return new Violation(pointer, message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }
}
