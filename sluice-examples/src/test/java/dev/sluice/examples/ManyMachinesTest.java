package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.jdbc.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class ManyMachinesTest {
  @Test
  void ordersAreTotalledIntoATableOfTheSamePostgresDatabaseExactlyOnce() throws Exception {
    String url = TestPostgres.freshUrl();
    String schema = url.substring(url.indexOf("schema=") + "schema=".length());
    assertThat(ManyMachines.run(url, 1_000)).isEqualTo(1_000);
    try (Connection c = TestPostgres.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), sum(orders), sum(amount) FROM " + schema + ".totals")) {
      rs.next();
      assertThat(rs.getLong(2)).isEqualTo(1_000);
      assertThat(rs.getLong(3)).isEqualTo(4_500);
    }
  }
}
