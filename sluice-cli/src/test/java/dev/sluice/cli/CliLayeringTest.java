package dev.sluice.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The CLI is a user of Sluice like any other: public API only, checked on its classes. */
class CliLayeringTest {
  /**
   * Not yet public: AppendCommand reads NDJSON with the core's NdjsonLines (line numbers and bytes
   * read, for --skip and progress). It needs a public home before this exception can go.
   */
  private static final String NOT_YET = "dev.sluice.internal.NdjsonLines";

  @Test
  void theCliUsesThePublicApiOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.sluice.cli..")
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "are in dev.sluice.internal or dev.sluice.testkit",
                (JavaClass c) ->
                    (c.getPackageName().startsWith("dev.sluice.internal")
                            || c.getPackageName().startsWith("dev.sluice.testkit"))
                        && !c.getName().equals(NOT_YET)))
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sluice.cli"));
  }
}
