package dev.sluice.kafka.streams;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The Kafka Streams runner is built on core's public API and SPI only. */
class KafkaStreamsLayeringTest {
  private static final JavaClasses RUNNER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sluice.kafka.streams");

  @Test
  void usesNoImplementationOfTheCoreOrOfTheKafkaStore() {
    noClasses()
        .that()
        .resideInAPackage("dev.sluice.kafka.streams..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.sluice.internal..", "dev.sluice.testkit..", "dev.sluice.kafka.internal..")
        .check(RUNNER);
  }

  @Test
  void thePublicApiReachesTheImplementationOnlyThroughItsEntryPoint() {
    noClasses()
        .that()
        .resideInAPackage("dev.sluice.kafka.streams")
        .and()
        .doNotHaveFullyQualifiedName(KafkaStreamsRunner.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.sluice.kafka.streams.internal..")
        .check(RUNNER);
  }
}
