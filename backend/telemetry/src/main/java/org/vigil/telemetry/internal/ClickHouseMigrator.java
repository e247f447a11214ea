package org.vigil.telemetry.internal;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Applies {@code db/clickhouse/V<n>__<name>.sql} in version order and records each in {@code schema_versions},
 * so a re-run is a no-op. An applied script whose text changed stops the start-up: schema history is not rewritten
 * behind anyone's back (write a new version instead).
 */
@Singleton
public class ClickHouseMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseMigrator.class);
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");
    private static final String LOCATION = "db/clickhouse";

    public record Script(int version, String name, String sql, String checksum) {
    }

    private final ClickHouseConnections connections;

    public ClickHouseMigrator(ClickHouseConnections connections) {
        this.connections = connections;
    }

    /** @return the versions applied by this call */
    public List<Integer> migrate() throws SQLException, IOException {
        String db = connections.database();
        try (Connection c = connections.openServer(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + db);
        }
        List<Integer> applied = new ArrayList<>();
        Connection c = connections.connection();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_versions (version UInt32, name String, checksum String, "
                    + "applied DateTime) ENGINE = MergeTree() ORDER BY version");
            Map<Integer, String> done = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT version, checksum FROM schema_versions")) {
                while (rs.next()) {
                    done.put(rs.getInt(1), rs.getString(2));
                }
            }
            for (Script script : scripts()) {
                String previous = done.get(script.version());
                if (previous != null) {
                    if (!previous.equals(script.checksum())) {
                        throw new IllegalStateException("ClickHouse migration V" + script.version() + "__" + script.name()
                                + " was changed after it was applied (checksum " + previous + " → " + script.checksum()
                                + "). Revert the edit and add a new version instead.");
                    }
                    continue;
                }
                for (String statement : statements(script.sql())) {
                    s.execute(statement);
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO schema_versions (version, name, checksum, applied) VALUES (?, ?, ?, ?)")) {
                    ps.setInt(1, script.version());
                    ps.setString(2, script.name());
                    ps.setString(3, script.checksum());
                    ps.setTimestamp(4, new java.sql.Timestamp(System.currentTimeMillis()));
                    ps.execute();
                }
                applied.add(script.version());
                LOG.info("Applied ClickHouse migration V{}__{}", script.version(), script.name());
            }
        }
        return applied;
    }

    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                add(out, current);
            }
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder current) {
        String s = current.toString().strip();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (!s.isEmpty()) {
            out.add(s);
        }
        current.setLength(0);
    }

    static List<Script> scripts() throws IOException {
        TreeMap<Integer, Script> byVersion = new TreeMap<>();
        for (URL root : Collections.list(ClickHouseMigrator.class.getClassLoader().getResources(LOCATION))) {
            for (Map.Entry<String, String> e : read(root).entrySet()) {
                Matcher m = NAME.matcher(e.getKey());
                if (!m.matches()) {
                    throw new IllegalStateException("ClickHouse migration file '" + e.getKey() + "' is not named V<n>__<name>.sql");
                }
                int version = Integer.parseInt(m.group(1));
                Script script = new Script(version, m.group(2), e.getValue(), checksum(e.getValue()));
                if (byVersion.put(version, script) != null) {
                    throw new IllegalStateException("Two ClickHouse migrations have version " + version);
                }
            }
        }
        return List.copyOf(byVersion.values());
    }

    private static Map<String, String> read(URL root) throws IOException {
        try {
            URI uri = root.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return readDir(fs.getPath(LOCATION));
                } catch (java.nio.file.FileSystemAlreadyExistsException open) {
                    return readDir(FileSystems.getFileSystem(uri).getPath(LOCATION));
                }
            }
            return readDir(Paths.get(uri));
        } catch (URISyntaxException e) {
            throw new IOException("bad resource URL " + root, e);
        }
    }

    private static Map<String, String> readDir(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (p.getFileName().toString().endsWith(".sql")) {
                    try (InputStream in = Files.newInputStream(p)) {
                        files.put(p.getFileName().toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return files;
    }

    private static String checksum(String sql) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
