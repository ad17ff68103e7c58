package dev.flags.openfeature;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * flags-openfeature depends on the JDK, flags-core's public API and the OpenFeature SDK only, shows
 * one public type, and logs like flags-core.
 */
class ArchitectureTest {
  private static final JavaClasses MODULE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.flags.openfeature");

  @Test
  void dependsOnlyOnTheJdkFlagsCoreAndTheOpenFeatureSdk() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.flags.core",
            "dev.flags.openfeature..",
            "dev.openfeature.sdk..",
            "org.jspecify.annotations..")
        .because("the provider is a thin adapter over the client's public API")
        .check(MODULE);
  }

  @Test
  void theProviderIsTheOnlyPublicType() {
    classes()
        .that()
        .haveModifier(JavaModifier.PUBLIC)
        .and()
        .areTopLevelClasses()
        .should()
        .haveSimpleName("FlagsProvider")
        .check(MODULE);
  }

  @Test
  void libraryCodeNeitherPrintsNorUsesJavaUtilLogging() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("java.util.logging..", "org.slf4j..")
        .check(MODULE);
  }

  @Test
  void caseConversionAlwaysNamesALocale() {
    noClasses()
        .should()
        .callMethod(String.class, "toLowerCase")
        .orShould()
        .callMethod(String.class, "toUpperCase")
        .check(MODULE);
  }
}
