package io.deeptrain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of STYLE.md, as tests. */
class ArchitectureTests {

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.deeptrain");
  }

  @Test
  void shouldHaveNoCyclesBetweenFeaturePackages() {
    slices().matching("io.deeptrain.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void shouldKeepDl4jInsideTheNumericFeatures() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.deeptrain.model..",
            "io.deeptrain.training..",
            "io.deeptrain.inference..",
            "io.deeptrain.dataset..",
            "io.deeptrain.compute..",
            "io.deeptrain.generative..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.deeplearning4j..", "org.nd4j..")
        .check(classes);
  }

  @Test
  void shouldKeepSystemFreeOfFeatures() {
    noClasses()
        .that()
        .resideInAPackage("io.deeptrain.system..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.deeptrain.job..",
            "io.deeptrain.training..",
            "io.deeptrain.model..",
            "io.deeptrain.inference..",
            "io.deeptrain.metric..",
            "io.deeptrain.dataset..")
        .check(classes);
  }
}
