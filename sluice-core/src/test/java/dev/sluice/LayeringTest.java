package dev.sluice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The layering of sluice-core, checked on its compiled classes so a violation fails {@code mvn
 * verify}.
 *
 * <pre>
 *   api       dev.sluice, dev.sluice.spi..   (one layer: the API names codecs, sinks and sources
 *                                              of the SPI, and the SPI names records and metadata)
 *   testkit   dev.sluice.testkit              -> api
 *   pipeline  dev.sluice.pipeline             -> api
 *   dataflow  dev.sluice.dataflow             -> api, pipeline
 *   base      dev.sluice.internal.base        -> api
 *   engine    dev.sluice.internal.consumer    -> api, base           (the shared consumer engine)
 *   sqlite    dev.sluice.internal.sqlite      -> api, base           (backends: the public SPI only)
 *   mem       dev.sluice.internal.mem         -> api, base
 *   stores    dev.sluice.internal             -> api, base, engine   (handles, streams, builders)
 * </pre>
 *
 * The API reaches the implementation only through its entry points ({@link #ENTRY_POINTS}), which
 * hand over to it; every other dependency points down, so there is no cycle.
 */
class LayeringTest {
  private static final Set<String> ENTRY_POINTS =
      Set.of(
          "dev.sluice.Sluice", "dev.sluice.Sinks", "dev.sluice.Sources", "dev.sluice.DeadLetters");

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sluice");

  private static final SliceAssignment LAYERS =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String p = c.getPackageName();
          if (p.equals("dev.sluice") || p.startsWith("dev.sluice.spi")) {
            return SliceIdentifier.of("api");
          }
          if (p.startsWith("dev.sluice.internal.")) {
            return SliceIdentifier.of(p.substring("dev.sluice.internal.".length()));
          }
          if (p.equals("dev.sluice.internal")) {
            return SliceIdentifier.of("stores");
          }
          if (p.startsWith("dev.sluice.")) {
            return SliceIdentifier.of(p.substring("dev.sluice.".length()));
          }
          return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "the layers of sluice-core";
        }
      };

  private static DescribedPredicate<JavaClass> inside(String... packages) {
    return DescribedPredicate.describe(
        "in " + String.join(", ", packages),
        c -> {
          for (String p : packages) {
            if (c.getPackageName().equals(p) || c.getPackageName().startsWith(p + ".")) {
              return true;
            }
          }
          return false;
        });
  }

  @Test
  void layersHaveNoCycles() {
    slices()
        .assignedFrom(LAYERS)
        .should()
        .beFreeOfCycles()
        .ignoreDependency(
            DescribedPredicate.describe(
                "an entry point of the API", c -> ENTRY_POINTS.contains(c.getName())),
            inside("dev.sluice.internal"))
        .check(CORE);
  }

  @Test
  void onlyTheEntryPointsOfTheApiReachTheImplementation() {
    noClasses()
        .that(inside("dev.sluice"))
        .and()
        .resideOutsideOfPackages("dev.sluice.internal..", "dev.sluice.testkit..")
        .and(
            DescribedPredicate.describe(
                "are not entry points", c -> !ENTRY_POINTS.contains(c.getName())))
        .should()
        .dependOnClassesThat(inside("dev.sluice.internal"))
        .check(CORE);
  }

  @Test
  void theEngineKnowsNoBackendAndNoTestkit() {
    noClasses()
        .that(inside("dev.sluice.internal.consumer"))
        .should()
        .dependOnClassesThat(
            inside("dev.sluice.internal.sqlite", "dev.sluice.internal.mem", "dev.sluice.testkit"))
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("dev.sluice.internal")
        .check(CORE);
  }

  @Test
  void backendsImplementThePublicSpiOnly() {
    noClasses()
        .that(inside("dev.sluice.internal.sqlite", "dev.sluice.internal.mem"))
        .should()
        .dependOnClassesThat(inside("dev.sluice.internal.consumer", "dev.sluice.testkit"))
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("dev.sluice.internal")
        .check(CORE);
  }

  @Test
  void nothingButTestsUsesTheTestkit() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.sluice.testkit..")
        .should()
        .dependOnClassesThat(inside("dev.sluice.testkit"))
        .check(CORE);
  }

  @Test
  void theSpiNeverReachesTheImplementation() {
    noClasses()
        .that(inside("dev.sluice.spi"))
        .should()
        .dependOnClassesThat(inside("dev.sluice.internal"))
        .check(CORE);
  }
}
