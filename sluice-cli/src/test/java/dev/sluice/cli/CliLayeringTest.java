package dev.sluice.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The CLI is a user of Sluice like any other: public API only, checked on its classes. */
class CliLayeringTest {
  @Test
  void theCliUsesThePublicApiOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.sluice.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.sluice.internal..", "dev.sluice.testkit..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sluice.cli"));
  }
}
