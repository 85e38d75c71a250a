package dev.sluice.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/STORE.md's schema table names every column of every table, with its type (issue 10). */
class SchemaDocTest {
  private static final Path DOC = Path.of("..", "docs", "STORE.md");
  private static final Pattern ROW =
      Pattern.compile("^\\| (?:`(\\w+)`)? *\\| (.+?) \\| (.+?) \\|.*$");

  @TempDir Path dir;

  @Test
  void theDocumentedSchemaIsTheSchemaAndItsExampleQueryWorks() throws Exception {
    Map<String, Map<String, String>> documented = documented();
    assertThat(documented).containsKeys("meta", "streams", "records", "purge", "groups", "windows");
    try (Store store = Sluice.open("sqlite:" + dir)) {
      store.stream("orders").append("k", Map.of("id", 1));
      store.streaming("orders").group("g").once(w -> {});
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sluice.db"))) {
      for (var table : documented.entrySet()) {
        Map<String, String> actual = new LinkedHashMap<>();
        try (ResultSet rs =
            c.createStatement().executeQuery("PRAGMA table_info(" + table.getKey() + ")")) {
          while (rs.next()) {
            actual.put(rs.getString("name"), rs.getString("type"));
          }
        }
        assertThat(table.getValue()).as(table.getKey()).isEqualTo(actual);
      }
      String doc = Files.readString(DOC);
      String query = doc.substring(doc.indexOf("\"SELECT r.ofs") + 1);
      query = query.substring(0, query.indexOf('"'));
      try (ResultSet rs = c.createStatement().executeQuery(query)) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(3)).isEqualTo("k");
        assertThat(rs.getString(4)).isEqualTo("{\"id\":1}");
      }
    }
  }

  /** Table name to column name to type, from the schema table of docs/STORE.md. */
  private static Map<String, Map<String, String>> documented() throws Exception {
    List<String> lines = Files.readAllLines(DOC);
    int start = lines.indexOf("| table | column | type | meaning |");
    assertThat(start).as("the schema table in " + DOC).isPositive();
    Map<String, Map<String, String>> tables = new LinkedHashMap<>();
    String table = null;
    for (String line : lines.subList(start + 2, lines.size())) {
      Matcher m = ROW.matcher(line);
      if (!m.matches()) {
        break;
      }
      if (m.group(1) != null) {
        table = m.group(1);
      }
      List<String> names = ticks(m.group(2));
      List<String> types = ticks(m.group(3));
      Map<String, String> columns = tables.computeIfAbsent(table, t -> new LinkedHashMap<>());
      for (int i = 0; i < names.size(); i++) {
        columns.put(names.get(i), types.size() == 1 ? types.get(0) : types.get(i));
      }
    }
    return tables;
  }

  private static List<String> ticks(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
