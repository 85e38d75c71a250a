package dev.sluice.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The PostgreSQL backend and the JDBC sink are built on public types only. */
class JdbcLayeringTest {
  private static final JavaClasses JDBC =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sluice.jdbc");

  @Test
  void usesNoImplementationOfTheCore() {
    noClasses()
        .that()
        .resideInAPackage("dev.sluice.jdbc..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.sluice.internal..", "dev.sluice.testkit..")
        .check(JDBC);
  }

  @Test
  void thePublicApiDoesNotReachTheImplementation() {
    noClasses()
        .that()
        .resideInAPackage("dev.sluice.jdbc")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.sluice.jdbc.internal..")
        .check(JDBC);
  }
}
