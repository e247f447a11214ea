package org.vigil.alerting.config;

import java.util.List;
import java.util.Map;

/**
 * A configuration document as parsed, every value with its path and the line and column it came from, so that a
 * refusal can point at the line at fault in the file the administrator edited.
 */
public sealed interface ConfigNode {
    String path();

    int line();

    int column();

    /** What kind of value this is, for messages ("an object", "a number", …). */
    String kind();

    record Obj(String path, int line, int column, Map<String, ConfigNode> fields) implements ConfigNode {
        @Override
        public String kind() {
            return "an object";
        }
    }

    record Arr(String path, int line, int column, List<ConfigNode> items) implements ConfigNode {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A string, number, boolean or null ({@code value} is a String, a Number, a Boolean or null). */
    record Scalar(String path, int line, int column, Object value) implements ConfigNode {
        @Override
        public String kind() {
            return value == null ? "null" : value instanceof String ? "text" : value instanceof Boolean ? "true/false" : "a number";
        }
    }
}
