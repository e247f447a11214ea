package org.vigil.alerting.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses JSON or YAML into {@link ConfigNode}s that remember their line. Jackson's streaming parser is used rather
 * than a tree, because a tree forgets where its values came from.
 */
public final class ConfigParser {
    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();

    private ConfigParser() {
    }

    /** YAML is a superset of JSON, but JSON's own parser gives better messages for JSON; pick by the first character. */
    public static ConfigNode parse(String text) {
        String t = text.stripLeading();
        boolean json = t.startsWith("{") || t.startsWith("[");
        try (JsonParser p = (json ? JSON : YAML).createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ConfigRejected(List.of(new ConfigProblem("(document)", 1, 1, "The document is empty.")));
            }
            ConfigNode root = read(p, "");
            if (p.nextToken() != null) {
                JsonLocation at = p.currentLocation();
                throw new ConfigRejected(List.of(new ConfigProblem("(document)", at.getLineNr(), at.getColumnNr(),
                        "Unexpected content after the end of the document.")));
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigRejected(List.of(new ConfigProblem("(document)", at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(), "Not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
    }

    private static ConfigNode read(JsonParser p, String path) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int col = at.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, ConfigNode> fields = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    String child = path.isEmpty() ? name : path + "." + name;
                    if (fields.containsKey(name)) {
                        JsonLocation dup = p.currentTokenLocation();
                        throw new ConfigRejected(List.of(new ConfigProblem(child, dup.getLineNr(), dup.getColumnNr(),
                                "'" + name + "' is given twice; only one can apply.")));
                    }
                    fields.put(name, read(p, child));
                }
                return new ConfigNode.Obj(path, line, col, fields);
            }
            case START_ARRAY -> {
                List<ConfigNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, path + "[" + items.size() + "]"));
                }
                return new ConfigNode.Arr(path, line, col, items);
            }
            case VALUE_STRING -> {
                return new ConfigNode.Scalar(path, line, col, p.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new ConfigNode.Scalar(path, line, col, p.getNumberValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new ConfigNode.Scalar(path, line, col, t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return new ConfigNode.Scalar(path, line, col, null);
            }
            default -> throw new ConfigRejected(List.of(new ConfigProblem(path, line, col, "Unexpected " + t + ".")));
        }
    }
}
