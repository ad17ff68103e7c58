package dev.flags.micrometer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * flags-micrometer knows no store and no framework: the JDK, flags-core and Micrometer; one public
 * class. A store's meters reach it through flags-core's {@code MeasuredStore}.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.flags.micrometer");

  @Test
  void usesOnlyTheJdkFlagsCoreAndMicrometer() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.flags.core..",
            "dev.flags.micrometer..",
            "io.micrometer..",
            "org.jspecify.annotations..")
        .because(
            "an application on a flag file gets metrics without Jedis: no store's classes here,"
                + " only flags-core's MeasuredStore")
        .check(MAIN);
  }

  @Test
  void onlyFlagMetricsIsPublic() {
    classes()
        .that()
        .arePublic()
        .should()
        .haveFullyQualifiedName(FlagMetrics.class.getName())
        .check(MAIN);
  }

  @Test
  void neitherPrintsNorUsesJavaUtilLogging() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("java.util.logging..")
        .check(MAIN);
  }

  @Test
  void caseConversionAlwaysNamesALocale() {
    noClasses()
        .should()
        .callMethod(String.class, "toLowerCase")
        .orShould()
        .callMethod(String.class, "toUpperCase")
        .check(MAIN);
  }
}
