package dev.flags.dashboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * flags-dashboard is framework-neutral and small: the JDK, flags-core and flags-integration; one
 * public class (and its nested types), the rest hidden.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.flags.dashboard");

  @Test
  void usesOnlyTheJdkFlagsCoreAndTheNeutralLayer() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "javax.crypto..",
            "dev.flags.core..",
            "dev.flags.integration",
            "dev.flags.dashboard..",
            "org.jspecify.annotations..")
        .because(
            "the dashboard is mounted by every framework: no framework, no template engine, no"
                + " JSON library, no servlet API")
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
        .because("the default locale turns \"TITLE\" into \"tıtle\" in Turkish; use Locale.ROOT")
        .check(MAIN);
  }

  @Test
  void theApiIsTheDashboardAlone() {
    org.assertj.core.api.Assertions.assertThat(
            MAIN.stream()
                .filter(JavaClass::isTopLevelClass)
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
                .map(JavaClass::getSimpleName)
                .sorted()
                .toList())
        .as("public types: each one is API; add one deliberately")
        .containsExactly("Dashboard");
  }
}
