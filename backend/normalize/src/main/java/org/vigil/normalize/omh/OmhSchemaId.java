package org.vigil.normalize.omh;

/**
 * The {@code schema_id} of an Open mHealth data point header: which schema, at which version, its body follows.
 *
 * @param version {@code major.minor}, e.g. {@code 3.1}; it names exactly one schema file
 */
record OmhSchemaId(String namespace, String name, String version) {

    /** The file name upstream gives the schema, e.g. {@code blood-pressure-3.1.json}. */
    String fileName() {
        return name + "-" + version + ".json";
    }

    /** The form the Open mHealth documentation uses, e.g. {@code omh:blood-pressure:3.1}. */
    @Override
    public String toString() {
        return namespace + ":" + name + ":" + version;
    }
}
